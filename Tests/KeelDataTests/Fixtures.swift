import Foundation
import KeelData

/// Files the tests read: the committed fixtures and the repository's `Data/` directory.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Fixtures")
    static let repositoryData = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appending(path: "Data")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appending(path: name)))
    }

    /// A gzip file of `payload` (at most 65,535 bytes) in one stored DEFLATE block, made by hand.
    static func gzipStored(_ payload: [UInt8]) -> [UInt8] {
        let length = [UInt8(truncatingIfNeeded: payload.count), UInt8(truncatingIfNeeded: payload.count >> 8)]
        let deflate: [UInt8] = [0x01] + length + length.map { ~$0 } + payload
        let crc = CRC32.checksum(payload)
        return [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + deflate
            + (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) } + (0..<4).map { UInt8(truncatingIfNeeded: payload.count >> (8 * $0)) }
    }

    /// A fresh empty directory under the system's temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "keel-data-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
