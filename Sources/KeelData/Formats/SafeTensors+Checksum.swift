extension SafeTensors {
    /// The `__metadata__` key of a file's checksum: `crc32:` and eight lowercase hex digits.
    public static let checksumKey = "checksum"

    /// `file` with a ``checksumKey`` entry in its metadata: the CRC-32 (as gzip computes it) of
    /// the bytes ``encode(_:)`` gives for `file` without that entry, so it covers the header —
    /// tensor names, shapes, offsets and every other metadata entry — and the tensor data.
    ///
    /// CRC-32 catches the damage files suffer on disks and in transfers (any burst of up to 32
    /// bits, and all but one in 2³² of other changes); it is not a defence against someone
    /// changing the file on purpose.
    ///
    /// - Parameter file: the tensors and metadata; an existing checksum entry is replaced.
    public static func checksummed(_ file: SafeTensorsFile) -> SafeTensorsFile {
        var checked = file
        checked.metadata[checksumKey] = checksum(of: file)
        return checked
    }

    /// Checks the checksum ``checksummed(_:)`` recorded in `file`'s metadata against its contents.
    ///
    /// - Parameters:
    ///   - file: a file as ``read(contentsOf:)`` or ``decode(_:source:)`` returns it.
    ///   - source: the name used in errors, for example the file's path.
    /// - Returns: `true` when the checksum matches, `false` when the file has none (files from
    ///   other writers, such as Python's `safetensors`).
    /// - Throws: ``DataError/malformed(source:format:reason:)`` when the checksum does not match or
    ///   is not of the form `crc32:` and eight hex digits.
    @discardableResult
    public static func verifyChecksum(of file: SafeTensorsFile, source: String) throws -> Bool {
        guard let recorded = file.metadata[checksumKey] else { return false }
        guard recorded.hasPrefix("crc32:"), recorded.count == 14, UInt32(recorded.dropFirst(6), radix: 16) != nil else {
            throw DataError.malformed(source: source, format: .safetensors,
                                      reason: "its checksum '\(recorded)' is not crc32: and eight hex digits")
        }
        let actual = checksum(of: file)
        guard recorded.lowercased() == actual else {
            throw DataError.malformed(source: source, format: .safetensors,
                                      reason: "its contents do not match its checksum (\(recorded) recorded, \(actual) computed), so it was changed after it was written")
        }
        return true
    }

    /// `crc32:` and the CRC-32 of `file`'s encoding without a checksum entry, in eight lowercase hex digits.
    static func checksum(of file: SafeTensorsFile) -> String {
        var unchecked = file
        unchecked.metadata[checksumKey] = nil
        let hex = String(CRC32.checksum(encode(unchecked)), radix: 16)
        return "crc32:" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}
