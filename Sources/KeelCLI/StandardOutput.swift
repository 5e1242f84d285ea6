import Foundation
import KeelCommandLine
import KeelCore

/// Standard output and standard error for `keel`'s commands.
///
/// Writes go straight to the file descriptors, unbuffered. A write to standard output that fails
/// (a full disk, `/dev/full`, an I/O error) is remembered, and ``finish()`` turns it into an error
/// after the command, so `keel` exits non-zero with one `Error:` line instead of 0 with a
/// truncated file, as coreutils do. A closed pipe
/// (`keel predict … | head -1`) ends the process quietly through `SIGPIPE`, which ``prepare()``
/// restores to its default even when the parent ignored it.
enum StandardOutput {
    /// The `errno` of the first failed write, if any.
    private static let failure = Locked<Int32?>(nil)

    /// Restores the default action of `SIGPIPE`, which a parent may have set to ignore.
    static func prepare() {
        signal(SIGPIPE, SIG_DFL)
    }

    /// Writes `text` and a line break.
    static func print(_ text: String) {
        write(text + "\n")
    }

    /// Writes `text` unbuffered; a failure is kept for ``finish()``.
    static func write(_ text: String) {
        if let code = writeAll(text, to: STDOUT_FILENO) { failure.withLock { if $0 == nil { $0 = code } } }
    }

    /// - Throws: ``CLIError`` naming the system's reason when a write to standard output failed.
    static func finish() throws {
        if let code = failure.withLock({ $0 }) {
            throw CLIError("could not write to standard output: \(String(cString: strerror(code))); the output is incomplete (free space on the disk or write elsewhere)")
        }
    }

    /// Writes `text` to standard error; a failure there cannot be reported anywhere.
    static func writeError(_ text: String) {
        _ = writeAll(text, to: STDERR_FILENO)
    }

    /// Writes all of `text`'s bytes to `descriptor`, retrying short and interrupted writes.
    /// - Returns: The `errno` of a failed write, or nil.
    private static func writeAll(_ text: String, to descriptor: Int32) -> Int32? {
        var text = text
        return text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
    }
}
