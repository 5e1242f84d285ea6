import Foundation
import Testing

/// Standard output that cannot be written: a full disk is an error, a closed pipe a quiet end.
@Suite("keel notices failed writes to standard output")
struct OutputFailureTests {
    /// A checkpoint of a logistic regression trained for one epoch, made once for the suite.
    static let checkpoint: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keel-output-\(UUID().uuidString).safetensors").path
        _ = try? KeelExecutable.run(["train", "logreg", "--epochs", "1", "--quiet", "--save", path])
        return path
    }()

    static let digits = KeelExecutable.dataDirectory.appendingPathComponent("digits8x8-images-idx3-ubyte.gz").path

    /// Every command that writes to standard output, with what it needs.
    static let commands: [[String]] = [
        ["predict", "CHECKPOINT", "--input", digits, "--maximum", "16"],
        ["inspect", "CHECKPOINT"], ["inspect", "CHECKPOINT", "--json"],
        ["evaluate", "CHECKPOINT", "--json"],
        ["bench", "--op", "gemm", "--shape", "8x8x8", "--backend", "cpu", "--seconds", "0.01", "--json"],
        ["train", "logreg", "--epochs", "1", "--json"], ["train", "logreg", "--epochs", "1"],
        ["devices"], ["--help"],
    ]

    static func arguments(_ command: [String]) -> [String] {
        command.map { $0 == "CHECKPOINT" ? checkpoint : $0 }
    }

    /// `/dev/full` (Linux, FreeBSD) fails every write with ENOSPC, as a full disk does.
    @Test("A full disk is one error line and status 1", .enabled(if: FileManager.default.fileExists(atPath: "/dev/full")),
          arguments: commands)
    func fullDisk(_ command: [String]) throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        defer { try? full.close() }
        let result = try KeelExecutable.run(Self.arguments(command), standardOutput: full)
        #expect(result.exitedNormally && result.status == 1, "status \(result.status): \(result.standardError)")
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("Error: could not write to standard output: "), "\(result.standardError)")
    }

    @Test("A closed pipe ends the command quietly", arguments: commands)
    func closedPipe(_ command: [String]) throws {
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let result = try KeelExecutable.run(Self.arguments(command), standardOutput: pipe.fileHandleForWriting)
        #expect(result.standardError.isEmpty, "\(result.standardError)")
        #expect(result.exitedNormally ? result.status == 0 : result.status == SIGPIPE, "status \(result.status)")
    }
}
