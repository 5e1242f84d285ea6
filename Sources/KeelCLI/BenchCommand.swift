import ArgumentParser
import Foundation
import Keel
import KeelBench
import KeelCommandLine
import KeelOpenCL

/// `keel bench`: the same workloads timed on several backends, side by side.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time GEMM, conv2d, the cosine-distance product and a training step of each model on each backend.",
        discussion: """
            Each workload runs once untimed (that call includes compiling OpenCL programs, reported \
            separately as compile time), then repeatedly for --seconds; the table gives the median. \
            Speed-up is relative to the first backend listed. Docs/Benchmarks.md describes the JSON output.
            """)

    @Option(help: ArgumentHelp("Comma-separated backend specs (default: cpu, and opencl when a device exists).", valueName: "specs"))
    var backend: String?

    @Option(help: ArgumentHelp("Comma-separated workload families: gemm, conv2d, cosine, train.", valueName: "ops"))
    var op = "gemm,conv2d,cosine,train"

    @Option(help: ArgumentHelp("A GEMM shape MxKxN to time instead of the standard ones (repeatable).", valueName: "MxKxN"))
    var shape: [String] = []

    @Option(parsing: .unconditional, help: "Seconds of timed runs per workload and backend, at most 3600 (at least five runs).")
    var seconds = 1.0

    @Flag(help: "Print one JSON document instead of the table.")
    var json = false

    struct Row: Encodable {
        var family: String
        var shape: String
        var backend: String
        var medianMilliseconds: Double
        var gflops: Double?
        var compileMilliseconds: Double
        var speedup: Double?
    }

    struct Device: Encodable {
        var spec: String
        var description: String
    }

    struct Output: Encodable {
        var devices: [Device]
        var results: [Row]
    }

    func run() throws {
        KeelCommand.registerBackends()
        guard seconds > 0, seconds <= 3600 else { throw CLIError("--seconds must lie in (0, 3600], got \(seconds)") }
        let backends = try selectBackends()
        let workloads = try selectWorkloads()
        if !json {
            for backend in backends { StandardOutput.print("# \(backend.name): \(backend.deviceDescription)") }
            StandardOutput.print("family  shape                               backend      median ms   GFLOP/s  compile ms  speed-up")
        }
        var rows: [Row] = []
        for workload in workloads {
            var first: Double?
            for backend in backends {
                let compiledBefore = compileSeconds(backend)
                let run = try workload.prepare(backend)
                try run()
                let compile = compileSeconds(backend) - compiledBefore
                let median = try medianSeconds(budget: .milliseconds(Int(seconds * 1000)), run)
                first = first ?? median
                let row = Row(family: workload.family, shape: workload.shape, backend: backend.name, medianMilliseconds: median * 1000,
                              gflops: workload.flops > 0 ? workload.flops / median / 1e9 : nil, compileMilliseconds: compile * 1000,
                              speedup: first.map { $0 / median })
                rows.append(row)
                if !json { StandardOutput.print(Self.format(row)) }
            }
        }
        if json {
            try printJSON(Output(devices: backends.map { Device(spec: $0.name, description: $0.deviceDescription) }, results: rows))
        }
    }

    private func selectBackends() throws -> [any Backend] {
        if let backend {
            return try backend.split(separator: ",").map { try Backends.select(String($0)) }
        }
        let cpu = try Backends.select("cpu")
        guard let openCL = try? Backends.select("opencl") else { return [cpu] }
        return [cpu, openCL]
    }

    private func selectWorkloads() throws -> [Workload] {
        let families = try BenchSpecs.families(op)
        var gemms = Workload.standard.filter { $0.family == "gemm" }
        if !shape.isEmpty {
            gemms = try shape.map { text in
                let (m, k, n) = try BenchSpecs.gemmShape(text)
                return .gemm(m: m, k: k, n: n)
            }
        }
        let others = Workload.standard.filter { $0.family != "gemm" } + Workload.trainingSteps
        return (gemms + others).filter { families.contains($0.family) }
    }

    /// Seconds the backend has spent building kernels so far (0 for backends that compile nothing).
    private func compileSeconds(_ backend: any Backend) -> Double {
        (backend as? OpenCLBackend)?.compilationStatistics.seconds ?? 0
    }

    private static func format(_ row: Row) -> String {
        func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
            let padding = String(repeating: " ", count: Swift.max(0, width - text.count))
            return right ? padding + text : text + padding
        }
        return pad(row.family, 8) + pad(row.shape, 36) + pad(row.backend, 10)
            + pad(String(format: "%.3f", row.medianMilliseconds), 12, right: true)
            + pad(row.gflops.map { String(format: "%.1f", $0) } ?? "—", 10, right: true)
            + pad(String(format: "%.1f", row.compileMilliseconds), 12, right: true)
            + pad(row.speedup.map { String(format: "%.2f×", $0) } ?? "", 10, right: true)
    }
}
