import Foundation
import Testing
import KeelData

/// What every reader says when a path is not a readable file of data.
@Suite struct FileReadingTests {
    /// The readers of each format, each reading one file.
    static let readers: [(String, @Sendable (URL) throws -> Void)] = [
        ("IDX", { _ = try IDXReader.read(contentsOf: $0) }),
        ("CSV", { _ = try CSVReader.read(contentsOf: $0) }),
        ("safetensors", { _ = try SafeTensors.read(contentsOf: $0) }),
    ]

    @Test func directoriesDevicesEmptyAndMissingFilesAreNamed() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = directory.appending(path: "empty"), missing = directory.appending(path: "missing")
        try Data().write(to: empty)
        let cases: [(URL, DataError)] = [
            (directory, .notAFile(path: directory.path, kind: "a directory")),
            (URL(fileURLWithPath: "/dev/null"), .notAFile(path: "/dev/null", kind: "a device")),
            (URL(fileURLWithPath: "/dev/zero"), .notAFile(path: "/dev/zero", kind: "a device")),  // endless: never read
            (empty, .emptyFile(path: empty.path)),
            (missing, .cannotRead(path: missing.path, reason: "no such file")),
        ]
        for (format, read) in Self.readers {
            for (url, expected) in cases {
                #expect(throws: expected, "\(format) reading \(url.path)") { try read(url) }
            }
        }
    }

    @Test func messagesSayWhatIsWrongInOneLine() {
        let messages = [DataError.notAFile(path: "/d", kind: "a directory"), .emptyFile(path: "/e"),
                        .tooLarge(source: "/t.gz", size: nil, limit: 1024), .tooLarge(source: "/t", size: 2048, limit: 1024)].map { "\($0)" }
        #expect(messages == [
            "'/d' is a directory, not a file; give the path of a file",
            "'/e' is empty (0 bytes); check that it was written or downloaded completely",
            "'/t.gz' is too large: more than 1024 bytes, where at most 1024 bytes are read (after decompression); use a smaller file",
            "'/t' is too large: 2048 bytes, where at most 1024 bytes are read (after decompression); use a smaller file",
        ])
    }
}
