import Foundation

/// Why a report could not be written.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    /// One line: what failed, where, and the system's reason.
    public let description: String
}

/// Writes files so that readers see the old file or the complete new one, never a part.
enum AtomicFile {
    /// Writes `data` to a temporary file beside `url`, flushes it to disk, then renames it to `url`; removes the
    /// temporary file if anything fails.
    static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary, options: .withoutOverwriting)
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ReportError(description: "cannot write the report to \(url.path): \(reason(error))")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ReportError(description: "cannot write the report to \(url.path): \(message)")
        }
    }

    /// The underlying POSIX message when there is one ("Permission denied"), else the error's.
    private static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let underlying, underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        return error.localizedDescription.replacingOccurrences(of: "\n", with: " ")
    }
}
