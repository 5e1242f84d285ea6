import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an option (`--save`, `--report`, `--output`) asks for a file to be written, checked
/// before any work, so that a command never trains or predicts only to fail at the end.
package enum OutputPath {
    /// Checks that `path` can be written: its directory exists and is writable, and `path` is
    /// not a directory, a device or a pipe (an atomic save would replace it).
    ///
    /// - Throws: ``CLIError`` naming `flag`, the path and what is wrong.
    package static func check(_ path: String, flag: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            let kind = status.st_mode & S_IFMT == S_IFDIR ? "a directory" : "not a regular file"
            throw CLIError("\(flag) \(path) is \(kind): give the name of a file to write")
        }
        guard stat(directory, &status) == 0 else {
            throw CLIError("\(flag) \(path): the directory \(directory) does not exist; create it first")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw CLIError("\(flag) \(path): \(directory) is not a directory; give a path in an existing directory")
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw CLIError("\(flag) \(path): cannot write in \(directory) (\(String(cString: strerror(errno)))); choose another directory")
        }
    }
}
