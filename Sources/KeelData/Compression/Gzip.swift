/// gzip decompression (RFC 1952) on top of ``Inflate``.
///
/// Reads every header field (FTEXT, FHCRC, FEXTRA, FNAME, FCOMMENT), verifies each member's
/// CRC-32 and length, and concatenates multiple members as `gunzip` does. Zero bytes after the
/// last member (tape padding) are allowed; anything else after it is an error.
///
/// ```swift
/// let bytes = [UInt8](try Data(contentsOf: url))
/// let plain = Gzip.isCompressed(bytes) ? try Gzip.decompress(bytes, source: url.path) : bytes
/// ```
public enum Gzip {
    /// Whether `bytes` starts with the gzip magic number `1f 8b`.
    ///
    /// - Parameter bytes: the start of a file (two bytes suffice).
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Decompresses a gzip file's bytes.
    ///
    /// - Parameters:
    ///   - compressed: the whole file, one or more gzip members.
    ///   - source: the name used in errors, for example the file name.
    ///   - limit: the most bytes the output may hold; decompression stops as soon as it would
    ///     pass it, so a small file that inflates to gigabytes costs no more than `limit` bytes.
    /// - Returns: the decompressed bytes of all members, in order.
    /// - Throws: ``DataError/malformed(source:format:reason:)`` (format ``DataFormat/gzip`` or
    ///   ``DataFormat/deflate``) when the magic number, a header field, the compressed data, a
    ///   CRC-32 or a stored length is wrong, the input is truncated, or non-zero bytes follow
    ///   the last member; ``DataError/tooLarge(source:size:limit:)`` beyond `limit` bytes.
    public static func decompress(_ compressed: [UInt8], source: String = "gzip data", limit: Int = ReadLimit.bytes) throws -> [UInt8] {
        let (output, complete) = try inflateMembers(compressed, limit: limit, source: source)
        guard complete else { throw DataError.tooLarge(source: source, size: nil, limit: limit) }
        return output
    }

    /// The first `count` bytes that `compressed` decompresses to (all of them when there are
    /// fewer), inflating no further: enough to read a header that says how large the rest is.
    /// Only what is decoded is checked; CRCs are checked only of members decoded whole.
    static func decompressedPrefix(_ compressed: [UInt8], count: Int, source: String) throws -> [UInt8] {
        try inflateMembers(compressed, limit: count, source: source).output
    }

    /// Decodes members until the input ends or the output reaches `limit` bytes with more to
    /// come (`complete` is then false).
    private static func inflateMembers(_ compressed: [UInt8], limit: Int, source: String) throws -> (output: [UInt8], complete: Bool) {
        try compressed.withUnsafeBufferPointer { input in
            var output: [UInt8] = []
            var position = 0
            repeat {
                guard let next = try decompressMember(input, at: position, appendingTo: &output, limit: limit, source: source) else {
                    return (output, false)
                }
                position = next
            } while position < input.count && !input[position...].allSatisfy { $0 == 0 }
            return (output, true)
        }
    }

    private static func failure(_ source: String, _ reason: String) -> DataError {
        .malformed(source: source, format: .gzip, reason: reason)
    }

    /// Decodes the member at `start`, appends its bytes, and returns where the next member
    /// starts; or appends the bytes up to `limit` in all and returns nil when the member holds more.
    private static func decompressMember(_ input: UnsafeBufferPointer<UInt8>, at start: Int,
                                         appendingTo output: inout [UInt8], limit: Int, source: String) throws -> Int? {
        var position = start
        func take(_ count: Int, _ what: String) throws -> UnsafeBufferPointer<UInt8>.SubSequence {
            guard position + count <= input.count else { throw failure(source, "truncated in the \(what) at byte \(position)") }
            defer { position += count }
            return input[position..<position + count]
        }
        func takeZeroTerminated(_ what: String) throws {
            guard let end = input[position...].firstIndex(of: 0) else { throw failure(source, "the \(what) is not terminated") }
            position = end + 1
        }

        guard start + 2 <= input.count, input[start] == 0x1F, input[start + 1] == 0x8B else {
            throw failure(source, start == 0 ? "no gzip magic number (1f 8b)"
                : "the \(input.count - start) bytes after the last member are not another member (trailing garbage)")
        }
        let header = try take(10, "header")
        guard header[start + 2] == 8 else { throw failure(source, "compression method \(header[start + 2]) is not DEFLATE (8)") }
        let flags = header[start + 3]
        guard flags & 0xE0 == 0 else { throw failure(source, "reserved header flags are set (0x\(String(flags, radix: 16)))") }
        if flags & 0x04 != 0 {  // FEXTRA
            let size = try take(2, "extra-field length")
            _ = try take(Int(size[size.startIndex]) | Int(size[size.startIndex + 1]) << 8, "extra field")
        }
        if flags & 0x08 != 0 { try takeZeroTerminated("file name") }  // FNAME
        if flags & 0x10 != 0 { try takeZeroTerminated("comment") }  // FCOMMENT
        if flags & 0x02 != 0 {  // FHCRC: the low 16 bits of the CRC-32 of the header so far
            let expected = CRC32.checksum(UnsafeBufferPointer(rebasing: input[start..<position])) & 0xFFFF
            let stored = try take(2, "header CRC")
            guard UInt32(stored[stored.startIndex]) | UInt32(stored[stored.startIndex + 1]) << 8 == expected else {
                throw failure(source, "header CRC does not match")
            }
        }

        // The last trailer's ISIZE (length mod 2^32) sizes the output, within what DEFLATE can
        // expand to (1032:1) and 256 MiB, so a corrupt trailer cannot reserve gigabytes.
        let hint = input.count >= 4 ? Int(readUInt32(input, at: input.count - 4)) : 0
        let member: [UInt8]
        do {
            (member, position) = try Inflate.decompress(input, from: position, expectedSize: min(hint, input.count * 1032, 1 << 28),
                                                        limit: limit - output.count, source: source)
        } catch let reached as Inflate.LimitReached {
            output += reached.decoded
            return nil
        }
        let trailer = try take(8, "trailer (CRC-32 and length)")
        let crc = member.withUnsafeBufferPointer { CRC32.checksum($0) }
        guard readUInt32(input, at: trailer.startIndex) == crc else { throw failure(source, "CRC-32 does not match the data") }
        guard readUInt32(input, at: trailer.startIndex + 4) == UInt32(truncatingIfNeeded: member.count) else {
            throw failure(source, "stored length does not match the \(member.count) decompressed bytes")
        }
        if output.isEmpty { output = member } else { output.append(contentsOf: member) }
        return position
    }

    private static func readUInt32(_ input: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32 {
        UInt32(input[index]) | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2]) << 16 | UInt32(input[index + 3]) << 24
    }
}
