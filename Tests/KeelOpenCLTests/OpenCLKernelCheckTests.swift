import Foundation
import KeelCore
import KeelOpenCL
import KeelTesting
import Testing

/// Every kernel of `Kernels/*.cl` on small awkward shapes: the suite `Scripts/oclgrind.sh` runs
/// under oclgrind's memory, data-race and uninitialised-value checks (on PoCL it is a quick
/// subset of the conformance suite that also proves the selection reaches every kernel).
///
/// Everything runs on one thread of its own, with a backend created there: oclgrind's
/// uninitialised-value checker keeps per-thread state made on the thread that creates the
/// context, and crashes when a buffer is written from another host thread, while Swift Testing
/// moves a test between threads.
@Suite struct OpenCLKernelCheckTests {
    @Test func everyKernelMatchesTheReferenceOnSmallShapes() async throws {
        let device = try KernelCheck.device()
        let (outcomes, launched) = try await KernelCheck.onItsOwnThread {
            let backend = try OpenCLBackend(device: device, options: OpenCLOptions(profiling: true))
            let log = KernelCheck.OclgrindLog()
            let outcomes = try KernelCheck.cases(tile: backend.gemmTile).map { check in
                let result = check.run(on: backend)
                try backend.synchronize()
                return KernelCheck.Outcome(name: check.name, result: result, oclgrindReport: log.readNew())
            }
            return (outcomes, Set(try backend.takeKernelTimings().keys))
        }
        for outcome in outcomes {
            #expect(outcome.result.passed, "\(outcome.name): \(outcome.result.message)")
            #expect(outcome.oclgrindReport.isEmpty, "oclgrind reported while running \(outcome.name):\n\(outcome.oclgrindReport)")
        }
        let defined = try KernelCheck.definedKernels()
        #expect(defined.isSuperset(of: ["gemm", "conv_direct", "unary_identity", "binary_equal"]), "\(defined.sorted())")
        #expect(defined.subtracting(launched).isEmpty, "Kernels no case launched: \(defined.subtracting(launched).sorted())")
        #expect(launched.subtracting(defined).isEmpty, "Launched kernels not found in Kernels/*.cl: \(launched.subtracting(defined).sorted())")
    }

    @Test func everyLeftOutCaseStillExists() {
        let names = Conformance.allCases.map(\.name)
        for prefix in KernelCheck.tooLargeForASimulator + KernelCheck.onlyHostWrites {
            #expect(names.contains { $0.hasPrefix(prefix) }, "No conformance case starts with \"\(prefix)\"; update the list")
        }
    }
}

/// The kernel check's device, cases, thread, oclgrind log and the kernel names in `Kernels/*.cl`.
enum KernelCheck {
    /// What one case found: its comparisons, and what oclgrind logged while it ran.
    struct Outcome: Sendable {
        let name: String
        let result: CaseResult
        let oclgrindReport: String
    }

    /// Conformance cases left out (by name prefix) because a simulator takes seconds to minutes
    /// on each; smaller cases of the same kernels and paths stay in.
    static let tooLargeForASimulator = [
        "gemm m=128 n=100 k=784", "gemm m=784 n=100 k=128", "gemm m=64 n=65 k=127",
        "conv2d forward Conv2D(input: [4×6×12×12]", "conv2d backward data Conv2D(input: [4×6×12×12]",
        "conv2d backward filter Conv2D(input: [4×6×12×12]",
        "cosineDistanceProduct CosineDistanceProduct(m: 64, n: 100", "cosineDistanceProductBackward CosineDistanceProduct(m: 200",
        "reduce sum 2×50001×3",
    ]

    /// Conformance cases left out (by name prefix) because they launch no kernel, only writing
    /// buffers from the host with `clEnqueueFillBuffer` or a partial upload. oclgrind 21.10's
    /// uninitialised-value checker shrinks a buffer's record to the range a host write covers, so
    /// after such a write it reports uninitialised reads of that buffer where the buffer pool hands
    /// it to a later kernel.
    static let onlyHostWrites = [
        "memory ", "fill ", "reduce sum 4×0×3", "reduce max 4×0×3", "conv2d backward filter Conv2D(input: [0×",
    ]

    /// The conformance cases (less those left out), GEMMs straddling `tile`, and the forward
    /// convolution's shapes at the edges of its two paths.
    static func cases(tile: (rows: Int, columns: Int)) -> [ConformanceCase] {
        let leftOut = tooLargeForASimulator + onlyHostWrites
        return Conformance.allCases.filter { check in !leftOut.contains { check.name.hasPrefix($0) } }
            + OpenCLGEMMTileTests.cases(straddling: tile)
            + OpenCLConvolutionPathTests.cases.map { Conformance.convolutionForwardCase($0.0) }
    }

    /// The device `KEEL_BACKEND` names when it is an OpenCL spec (the script sets
    /// `opencl:oclgrind`, so a run that missed oclgrind fails), else the default device.
    static func device() throws -> OpenCLDevice {
        let spec = ProcessInfo.processInfo.environment["KEEL_BACKEND"] ?? ""
        return try OpenCLDevice.select(spec.hasPrefix("opencl:") ? String(spec.dropFirst("opencl:".count)) : nil)
    }

    /// Runs `body` on a new thread and returns what it returns or throws.
    static func onItsOwnThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// oclgrind's log file (`OCLGRIND_LOG`, set by `oclgrind --log`), read as it grows; empty
    /// when not under oclgrind.
    final class OclgrindLog {
        private let handle = ProcessInfo.processInfo.environment["OCLGRIND_LOG"].flatMap { FileHandle(forReadingAtPath: $0) }

        /// What was logged since the last call.
        func readNew() -> String {
            guard let data = try? handle?.readToEnd() else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Every kernel `Kernels/*.cl` defines: each `__kernel void name(`, and for a macro whose body
    /// defines `__kernel void prefix_##name`, `prefix_` followed by the first argument of each use.
    static func definedKernels() throws -> Set<String> {
        var names = Set<String>()
        for file in try RepositoryKernels.files() {
            var prefixes: [String: String] = [:]
            var macro: String?
            for line in try RepositoryKernels.source(file).split(separator: "\n") {
                if let match = line.firstMatch(of: /__kernel\s+void\s+(\w+)\s*\(/) { names.insert(String(match.1)) }
                if let match = line.firstMatch(of: /^#define\s+(\w+)\(/) { macro = String(match.1) }
                if let macro, let match = line.firstMatch(of: /__kernel\s+void\s+(\w+)##name\b/) { prefixes[macro] = String(match.1) }
                if let match = line.firstMatch(of: /^(\w+)\((\w+),/), let prefix = prefixes[String(match.1)] {
                    names.insert(prefix + match.2)
                }
            }
        }
        return names
    }
}
