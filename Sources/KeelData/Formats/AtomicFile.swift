import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing a file so that readers see either the old file or the complete new one.
package enum AtomicFile {
    /// Writes `bytes` to a temporary file in `url`'s directory, flushes it to the disk, then
    /// renames it over `url`. On failure the temporary file is removed and `url` is untouched.
    package static func save(_ bytes: [UInt8], to url: URL) throws {
        let path = url.path
        func failure(_ what: String) -> DataError {
            .cannotWrite(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
        }
        let directory = url.deletingLastPathComponent().path
        var template = Array("\(directory)/.\(url.lastPathComponent).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw failure("cannot create a temporary file") }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var renamed = false
        defer { if !renamed { unlink(temporary) } }

        var written = 0
        let writeError: DataError? = bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return failure("write failed")
                }
                written += result
            }
            return nil
        }
        if let writeError {
            close(descriptor)
            throw writeError
        }
        guard fchmod(descriptor, 0o644) == 0, fsync(descriptor) == 0 else {
            let error = failure("cannot flush the temporary file")
            close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else { throw failure("cannot close the temporary file") }
        guard rename(temporary, path) == 0 else { throw failure("cannot rename the temporary file into place") }
        renamed = true
        // Make the rename itself durable.
        let directoryDescriptor = open(directory, O_RDONLY)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}
