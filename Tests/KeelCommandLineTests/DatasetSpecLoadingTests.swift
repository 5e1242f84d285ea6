import Foundation
import Keel
import KeelCommandLine
import Testing

/// What `--dataset` loads from files.
@Suite struct DatasetSpecLoadingTests {
    /// An unsigned-byte IDX file of `shape` holding `values`.
    func idx(_ shape: [Int], _ values: [UInt8]) -> Data {
        Data([0, 0, 8, UInt8(shape.count)] + shape.flatMap { size in (0..<4).map { UInt8(truncatingIfNeeded: size >> (24 - 8 * $0)) } } + values)
    }

    func load(_ spec: String) throws -> DatasetSpec.Loaded {
        try DatasetSpec(spec).load(scaling: .raw, layout: .flat, seed: 0)
    }

    /// A directory's test part is both `t10k` files or neither; one alone was once ignored silently.
    @Test func aDirectoryWithHalfATestPartIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try idx([2, 1, 1], [0, 255]).write(to: directory.appendingPathComponent("train-images-idx3-ubyte"))
        try idx([2], [0, 1]).write(to: directory.appendingPathComponent("train-labels-idx1-ubyte"))
        guard case let .whole(train) = try load("idx:\(directory.path)") else { Issue.record("no test files, yet two parts"); return }
        #expect(train.count == 2 && train.name == "mnist-train")

        try idx([2, 1, 1], [0, 255]).write(to: directory.appendingPathComponent("t10k-images-idx3-ubyte"))
        #expect(throws: DataError.missingFiles(directory: directory.path, expected: ["t10k-labels-idx1-ubyte"])) { try load("idx:\(directory.path)") }

        try idx([2], [1, 0]).write(to: directory.appendingPathComponent("t10k-labels-idx1-ubyte"))
        guard case let .parts(_, test) = try load("idx:\(directory.path)") else { Issue.record("the test files were not used"); return }
        #expect(test.labels == [1, 0])
    }

    /// Messages about a data set name it, so a set read from a file is named after the file.
    @Test func setsReadFromFilesAreNamedAfterTheirFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("points.csv"), images = directory.appendingPathComponent("images.idx")
        let labels = directory.appendingPathComponent("labels.idx")
        try Data("x,y\n1,0\n2,1\n".utf8).write(to: csv)
        try idx([2, 1, 1], [0, 255]).write(to: images)
        try idx([2], [0, 1]).write(to: labels)
        guard case let .whole(points) = try load("csv:\(csv.path)"), case let .whole(pixels) = try load("idx:\(images.path),\(labels.path)") else {
            Issue.record("a file was split into parts")
            return
        }
        #expect(points.name == "points.csv" && pixels.name == "images.idx")
    }
}
