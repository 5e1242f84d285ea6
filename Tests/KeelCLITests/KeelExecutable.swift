import Foundation

/// Runs the real `keel` executable that `swift build` put beside this test bundle.
struct KeelExecutable {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
        /// Whether the process exited by itself (no trap or signal).
        var exitedNormally: Bool
    }

    static let url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("keel")

    /// The repository's `Data/` directory (the embedded data files, also usable as input files).
    static let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Data")

    /// Runs `keel` with `arguments`; its standard output goes to `standardOutput` when given
    /// (then the result's is empty), else it is read.
    static func run(_ arguments: [String], environment: [String: String] = [:], standardOutput: FileHandle? = nil) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let (output, error) = (Pipe(), Pipe())
        process.standardOutput = standardOutput ?? output
        process.standardError = error
        try process.run()
        // Read both pipes to the end before waiting, so a full pipe cannot block the child.
        let outputData = standardOutput == nil ? output.fileHandleForReading.readDataToEndOfFile() : Data()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData, as: UTF8.self),
                      exitedNormally: process.terminationReason == .exit)
    }

    /// A fresh directory for a test's files.
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
