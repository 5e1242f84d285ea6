import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading whole files, with gzip detected by its magic number rather than the file name.
///
/// Regular files and pipes are read; a directory or a device (`/dev/zero` never ends) is
/// refused before anything is read, as is an empty file or one over the limit (``ReadLimit/bytes``).
enum FileBytes {
    /// The bytes of the file at `url`.
    ///
    /// - Throws: ``DataError/cannotRead(path:reason:)`` when it does not exist or cannot be read,
    ///   ``DataError/notAFile(path:kind:)``, ``DataError/emptyFile(path:)``, or
    ///   ``DataError/tooLarge(source:size:limit:)`` beyond `limit` bytes.
    static func read(_ url: URL, limit: Int = ReadLimit.bytes) throws -> [UInt8] {
        let path = url.path
        func unreadable() -> DataError {
            .cannotRead(path: path, reason: errno == ENOENT ? "no such file" : String(cString: strerror(errno)))
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw unreadable() }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw unreadable() }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            guard status.st_size <= limit else { throw DataError.tooLarge(source: path, size: Int(status.st_size), limit: limit) }
        case S_IFIFO:
            break
        case S_IFDIR:
            throw DataError.notAFile(path: path, kind: "a directory")
        case S_IFCHR, S_IFBLK:
            throw DataError.notAFile(path: path, kind: "a device")
        default:
            throw DataError.notAFile(path: path, kind: "a socket")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(status.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { readSome(descriptor, into: $0) }
            if count == 0 { break }
            guard count > 0 else {
                if errno == EINTR { continue }
                throw unreadable()
            }
            // A pipe has no size to check up front, and a file may grow while it is read.
            guard bytes.count + count <= limit else { throw DataError.tooLarge(source: path, size: nil, limit: limit) }
            bytes += chunk[..<count]
        }
        guard !bytes.isEmpty else { throw DataError.emptyFile(path: path) }
        return bytes
    }

    /// The bytes of the file at `url`, decompressed if it is gzip (at most `limit` bytes either way).
    static func readDecompressing(_ url: URL, limit: Int = ReadLimit.bytes) throws -> [UInt8] {
        let bytes = try read(url, limit: limit)
        return Gzip.isCompressed(bytes) ? try Gzip.decompress(bytes, source: url.path, limit: limit) : bytes
    }
}

/// One `read(2)` into `buffer`: the count read, 0 at the end, or -1 with `errno` set.
private func readSome(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(descriptor, buffer.baseAddress, buffer.count)
}
