import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing a file so that readers see either the old file or the complete new one.
///
/// A process that dies during a save (killed, or the machine losing power) leaves the old file
/// intact and a stale hidden temporary file `.NAME.tmp-XXXXXX` beside it, which later saves
/// ignore and which can be deleted.
package enum AtomicFile {
    /// **Test-only.** The environment variable that makes the process kill itself (SIGKILL)
    /// halfway through writing the temporary file of its N-th atomic save (`N` ≥ 1, counting
    /// every save of the process), so tests can check that a crash during a save loses nothing.
    /// Never set it otherwise.
    package static let killDuringSaveVariable = "KEEL_TEST_KILL_DURING_SAVE"
    private static let saves = SaveCounter()

    /// Writes `bytes` to a temporary file in `url`'s directory, flushes it to the disk, then
    /// renames it over `url`. On failure the temporary file is removed and `url` is untouched.
    package static func save(_ bytes: [UInt8], to url: URL) throws {
        let killAfter = killPoint(for: bytes.count)
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
                if let killAfter, written >= killAfter { raise(SIGKILL) }
                let result = write(descriptor, buffer.baseAddress! + written, Swift.min(buffer.count, killAfter ?? buffer.count) - written)
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

    /// How many bytes this save writes before killing the process: half of them when
    /// ``killDuringSaveVariable`` names this save, else `nil`.
    private static func killPoint(for count: Int) -> Int? {
        guard let value = getenv(killDuringSaveVariable), let target = Int(String(cString: value)) else { return nil }
        return saves.next() == target ? count / 2 : nil
    }
}

/// Counts a process's atomic saves (only while the test-only kill switch is set).
private final class SaveCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    /// The number of this save, from 1.
    func next() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
}
