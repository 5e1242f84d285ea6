import Foundation
import KeelOpenCL

/// CLBlast's SGEMM on the OpenCL backend's device, tuned for it with CLBlast's own tuners: the
/// peer of Keel's OpenCL GEMM. Compiles `clblast/clblast_sgemm.c` (needs `cc`, `libclblast-dev`)
/// and runs it once per shape in a subprocess of this run.
struct CLBlastPeer {
    private let executable: URL
    private let parameters: URL
    private let device: OpenCLDevice

    private static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "clblast")
    }

    /// Builds the harness for the device of `backend`, with the tuned parameters in `parameterFile`.
    init(for backend: OpenCLBackend, parameterFile: String) throws {
        device = backend.device
        parameters = parameterFile.hasPrefix("/") ? URL(fileURLWithPath: parameterFile) : Self.directory.appending(path: parameterFile)
        guard FileManager.default.fileExists(atPath: parameters.path) else {
            throw UsageError("no CLBlast parameter file at \(parameters.path): run Benchmarks/clblast/tune.sh first")
        }
        executable = FileManager.default.temporaryDirectory.appending(path: "keel-clblast-sgemm-\(getpid())")
        let status = try Self.run("/usr/bin/env", ["cc", "-O2", "-o", executable.path, Self.directory.appending(path: "clblast_sgemm.c").path,
                                                   "-lclblast", "-lOpenCL"]).status
        guard status == 0 else { throw UsageError("could not compile clblast_sgemm.c: install a C compiler and libclblast-dev") }
    }

    /// Tuned CLBlast's median GFLOP/s on `shape`, timed for `seconds`.
    func gflops(_ shape: (m: Int, k: Int, n: Int), seconds: Double) throws -> Double {
        let (status, output) = try Self.run(executable.path, [
            "-platform", "\(device.platformIndex)", "-device", "\(device.deviceIndex)", "-params", parameters.path,
            "-seconds", "\(seconds)", "\(shape.m)x\(shape.k)x\(shape.n)",
        ])
        guard status == 0, let line = output.split(separator: "\n").last,
              let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let gflops = object["gflops"] as? Double else {
            throw UsageError("the CLBlast peer failed on \(shape): \(output)")
        }
        return gflops
    }

    private static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let (output, errors) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let diagnostics = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // The harness's diagnostics matter only when it fails.
        return (process.terminationStatus, process.terminationStatus == 0 ? text : text + diagnostics)
    }
}
