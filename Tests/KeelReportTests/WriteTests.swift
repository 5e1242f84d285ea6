import Foundation
import KeelData
import KeelReport
import Testing

@Suite("Writing the report")
struct WriteTests {
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("write(to:) writes exactly html() and leaves no temporary file")
    func writes() throws {
        let report = try Runs.syntheticHistory([0.9, 0.5], validation: false)
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("report.html")
        try report.write(to: url)
        try report.write(to: url)   // replacing an existing report
        #expect(try String(contentsOf: url, encoding: .utf8) == report.html())
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report.html"])
    }

    @Test("A directory that does not exist: a one-line error naming the path, and no file")
    func missingDirectory() throws {
        let report = try Runs.syntheticHistory([0.9], validation: false)
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("missing/report.html")
        let error = try #require(throws: DataError.self) { try report.write(to: url) }
        #expect(error.description.hasPrefix("cannot write '\(url.path)': ") && !error.description.contains("\n"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("A rename that fails (the target is a directory): an error, and the temporary file is gone")
    func failedRename() throws {
        let report = try Runs.syntheticHistory([0.9], validation: false)
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("report.html")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("inside"), withIntermediateDirectories: true)
        let error = try #require(throws: DataError.self) { try report.write(to: url) }
        #expect(error.description.hasPrefix("cannot write '\(url.path)': "), "\(error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report.html"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.path) == ["inside"])
    }
}
