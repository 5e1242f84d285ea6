import Foundation
import KeelCommandLine
import Testing

/// Output paths are checked before a command does any work.
@Suite struct OutputPathTests {
    @Test func writablePathsPass() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let existing = directory.appendingPathComponent("existing")
        try Data("old".utf8).write(to: existing)
        try OutputPath.check(directory.appendingPathComponent("new.safetensors").path, flag: "--save")
        try OutputPath.check(existing.path, flag: "--save")
    }

    @Test func unwritablePathsNameTheFlagAndTheProblem() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("file"), missing = directory.appendingPathComponent("missing")
        try Data("x".utf8).write(to: file)
        let cases = [
            (missing.appendingPathComponent("a.csv").path, "--output \(missing.path)/a.csv: the directory \(missing.path) does not exist; create it first"),
            (file.appendingPathComponent("a.csv").path, "--output \(file.path)/a.csv: \(file.path) is not a directory; give a path in an existing directory"),
            (directory.path, "--output \(directory.path) is a directory: give the name of a file to write"),
            ("/dev/null", "--output /dev/null is not a regular file: give the name of a file to write"),
        ]
        for (path, message) in cases {
            #expect { try OutputPath.check(path, flag: "--output") } throws: { "\($0)" == message }
        }
    }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("keel-output-path-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
