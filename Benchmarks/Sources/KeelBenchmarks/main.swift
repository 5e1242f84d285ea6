import Foundation
import Keel
import KeelBench
import KeelOpenCL

// keel-benchmarks [--backend cpu,opencl,reference] [--filter gemm] [--seconds 1] [--openblas]
//                 [--clblast [PARAMETER_FILE]] [--rounds N] [--first-result]
// keel-benchmarks --training [CASE,...] [--backend cpu,opencl] [--peers LIST | --no-peers] [--epochs BACKEND=N]
//
// Prints one row per kernel and backend: median time and GFLOP/s. For the cosine product and
// conv2d the row also gives its time relative to a GEMM on the same backend (the same shape for
// the cosine product, the same FLOP count for conv2d). With --openblas each GEMM row is followed
// by NumPy's float32 matmul (OpenBLAS) on the same shape, run in the same process tree, and the
// ratio ours/OpenBLAS; with --clblast each OpenCL GEMM row is followed by CLBlast's SGEMM on the
// same device, with the parameters CLBlast's own tuners found for it (clblast/README.md). With
// --rounds N a GEMM row and its peer are timed alternately N times (ours, peer, ours, …) and the
// row gives the median of the N ratios and their range. The
// first call of each kernel (which compiles OpenCL programs) is a warm-up outside the timing.
// --first-result instead times this process from the start of main to the first GEMM result on
// each backend, and says how many programs were compiled or loaded from the disk cache. With
// KEEL_OPENCL_PROFILE=1 each OpenCL row is followed by its kernels' device time per run.
// --training trains models with Keel and with peer frameworks on the same split instead
// (TrainingBenchmark.swift).

struct Options {
    var backends = ["cpu"]
    var filter: String?
    var seconds = 1.0
    var openBLAS = false
    var firstResult = false
    var clblastParameters: String?
    var rounds = 1

    init(_ arguments: [String]) throws {
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            switch flag {
            case "--backend": backends = try Self.value(flag, &remaining).split(separator: ",").map(String.init)
            case "--filter": filter = try Self.value(flag, &remaining)
            case "--seconds":
                guard let seconds = Double(try Self.value(flag, &remaining)), seconds > 0 else { throw UsageError("--seconds takes a positive number") }
                self.seconds = seconds
            case "--openblas": openBLAS = true
            case "--first-result": firstResult = true
            case "--rounds":
                guard let rounds = Int(try Self.value(flag, &remaining)), rounds > 0 else { throw UsageError("--rounds takes a positive integer") }
                self.rounds = rounds
            case "--clblast":
                clblastParameters = remaining.first.map { $0.hasPrefix("--") } == false ? remaining.popFirst() : "tuned-pocl-epyc.txt"
            default: throw UsageError("unknown argument '\(flag)'; use --backend LIST, --filter TEXT, --seconds S, --openblas, --clblast [FILE], --rounds N, --first-result")
            }
        }
    }

    private static func value(_ flag: String, _ remaining: inout ArraySlice<String>) throws -> String {
        guard let value = remaining.popFirst() else { throw UsageError("\(flag) needs a value") }
        return value
    }
}

struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// NumPy's float32 matmul GFLOP/s on `shape`, from `openblas_sgemm.py` beside this package.
func openBLASGFLOPs(_ shape: (m: Int, k: Int, n: Int), seconds: Double) throws -> String {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("openblas_sgemm.py")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path, "\(shape.m)", "\(shape.k)", "\(shape.n)", "\(seconds)"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    process.waitUntilExit()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    guard process.terminationStatus == 0 else { throw UsageError("the OpenBLAS peer failed: is python3 with numpy installed?") }
    return output.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// The GEMM a backend's GEMM rows are compared with: OpenBLAS for a CPU backend (`--openblas`),
/// tuned CLBlast for an OpenCL one (`--clblast`).
struct GEMMPeer {
    let name: String
    let shortName: String
    let gflops: (_ shape: (m: Int, k: Int, n: Int), _ seconds: Double) throws -> Double
}

func gemmPeer(for backend: any Backend, options: Options, clblast: CLBlastPeer?) throws -> GEMMPeer? {
    if backend is OpenCLBackend {
        return clblast.map { peer in GEMMPeer(name: "tuned CLBlast", shortName: "CLBlast") { try peer.gflops($0, seconds: $1) } }
    }
    guard options.openBLAS else { return nil }
    return GEMMPeer(name: "OpenBLAS", shortName: "OpenBLAS") { shape, seconds in
        guard let gflops = Double(try openBLASGFLOPs(shape, seconds: seconds)) else { throw UsageError("the OpenBLAS peer printed no number") }
        return gflops
    }
}

func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

/// The time from the start of main to the first downloaded GEMM result on `backend`.
func firstResult(on backend: any Backend, since start: ContinuousClock.Instant) throws -> String {
    let a = try Tensor(Array(repeating: 1, count: 64 * 64), shape: [64, 64], on: backend)
    _ = try a.matmul(a).toArray()
    let elapsed = ContinuousClock.now - start
    var line = "\(backend.name): first GEMM result \(elapsed.formatted(.units(allowed: [.milliseconds]))) after start"
    if let openCL = backend as? OpenCLBackend {
        let statistics = openCL.compilationStatistics
        line += "; programs compiled from source: \(statistics.compiledFromSource), loaded from the disk cache: "
            + "\(statistics.loadedFromDisk), \(format(statistics.seconds * 1000)) ms building"
    }
    return line
}

do {
    let start = ContinuousClock.now
    if CommandLine.arguments.contains("--training") {
        try TrainingBenchmark.run(Array(CommandLine.arguments.dropFirst()))  // TrainingBenchmark.swift
        exit(0)
    }
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    Backends.registerBuiltIn()
    Backends.register(OpenCLBackend.registration)
    let backends = try options.backends.map(Backends.select)
    if options.firstResult {
        for backend in backends { print(try firstResult(on: backend, since: start)) }
        exit(0)
    }
    let budget = Duration.milliseconds(Int(options.seconds * 1000))
    let clblast = try options.clblastParameters.map { file in
        guard let openCL = backends.compactMap({ $0 as? OpenCLBackend }).first else {
            throw UsageError("--clblast compares with an OpenCL backend: add opencl to --backend")
        }
        return try CLBlastPeer(for: openCL, parameterFile: file)
    }
    for backend in backends { print("# \(backend.name): \(backend.deviceDescription)") }
    print("family  shape                                backend     median ms   GFLOP/s  note")
    for workload in Workload.standard where options.filter.map({ "\(workload.family) \(workload.shape)".contains($0) }) ?? true {
        for backend in backends {
            let run = try workload.prepare(backend)
            _ = try (backend as? OpenCLBackend)?.takeKernelTimings()
            let seconds: Double
            var note = ""
            if workload.family != "gemm", let shape = workload.gemmShape {
                // Timed run by run against the GEMM, so that the ratio is not the machine's drift.
                let gemm = try Workload.gemm(m: shape.m, k: shape.k, n: shape.n).prepare(backend)
                let timing = try pairedMedians(budget: budget, run, against: gemm)
                seconds = timing.seconds
                let peer = workload.family == "cosine" ? "shape" : "FLOP count (\(shape.m)x\(shape.k)x\(shape.n))"
                note = "\(format(timing.ratio, 2))× GEMM of the same \(peer)"
            } else {
                seconds = try medianSeconds(budget: budget, run)
            }
            let gflops = workload.flops / seconds / 1e9
            let kernelTimes = try (backend as? OpenCLBackend)?.takeKernelTimings() ?? [:]
            if workload.family == "gemm", let shape = workload.gemmShape, let peer = try gemmPeer(for: backend, options: options, clblast: clblast) {
                // Alternate ours and the peer, so that each ratio compares runs made side by side.
                var (ours, ratios, peerGFLOPs) = (gflops, [Double](), [Double]())
                for round in 0..<options.rounds {
                    if round > 0 { ours = workload.flops / (try medianSeconds(budget: budget, run)) / 1e9 }
                    peerGFLOPs.append(try peer.gflops(shape, options.seconds))
                    ratios.append(ours / peerGFLOPs[round])
                }
                ratios.sort()
                let range = ratios.count > 1 ? " (\(format(ratios.first!, 2))–\(format(ratios.last!, 2)) over \(ratios.count) rounds)" : ""
                note = "\(peer.name) \(format(peerGFLOPs.sorted()[peerGFLOPs.count / 2])) GFLOP/s, ours/\(peer.shortName) "
                    + "\(format(ratios[ratios.count / 2], 2))\(range)"
            }
            print("\(workload.family.padding(toLength: 8, withPad: " ", startingAt: 0))"
                  + "\(workload.shape.padding(toLength: 37, withPad: " ", startingAt: 0))"
                  + "\(backend.name.padding(toLength: 12, withPad: " ", startingAt: 0))"
                  + "\(format(seconds * 1000, 3).leftPadded(9))   \(format(gflops).leftPadded(7))  \(note)")
            for (kernel, timing) in kernelTimes.sorted(by: { $0.value.seconds > $1.value.seconds }) {
                let runs = Double(kernelTimes.values.map(\.launches).max() ?? 1)
                print("        kernel \(kernel): \(format(timing.seconds / runs * 1000, 3)) ms, \(timing.launches) launches")
            }
        }
    }
} catch {
    FileHandle.standardError.write(Data("keel-benchmarks: \(error)\n".utf8))
    exit(1)
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: Swift.max(0, width - count)) + self }
}
