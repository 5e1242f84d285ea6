import Foundation

/// Reading whole files, with gzip detected by its magic number rather than the file name.
enum FileBytes {
    /// The bytes of the file at `url`.
    static func read(_ url: URL) throws -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "\(error.localizedDescription)" : "no such file"
            throw DataError.cannotRead(path: url.path, reason: reason)
        }
    }

    /// The bytes of the file at `url`, decompressed if it is gzip.
    static func readDecompressing(_ url: URL) throws -> [UInt8] {
        let bytes = try read(url)
        return Gzip.isCompressed(bytes) ? try Gzip.decompress(bytes, source: url.path) : bytes
    }
}
