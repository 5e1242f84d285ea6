import Foundation

/// A PNG read back for checking: chunk CRCs, the zlib header and Adler-32, stored deflate
/// blocks only (what KeelReport writes), 8-bit RGB without filters. Written independently of
/// the encoder (bitwise CRC, no tables).
struct DecodedPNG {
    var width: Int
    var height: Int
    var pixels: [UInt8]

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    init(dataURI: String) throws {
        let prefix = "data:image/png;base64,"
        guard dataURI.hasPrefix(prefix), let data = Data(base64Encoded: String(dataURI.dropFirst(prefix.count))) else {
            throw Invalid(description: "not a base64 PNG data URI")
        }
        try self.init(Array(data))
    }

    init(_ bytes: [UInt8]) throws {
        guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { throw Invalid(description: "no PNG signature") }
        var offset = 8
        var chunks: [(type: String, data: [UInt8])] = []
        while offset + 12 <= bytes.count {
            let length = Int(Self.uint32(bytes, offset))
            let typed = Array(bytes[offset + 4..<offset + 8 + length])
            guard Self.uint32(bytes, offset + 8 + length) == Self.crc32(typed) else { throw Invalid(description: "bad CRC") }
            chunks.append((String(decoding: typed.prefix(4), as: UTF8.self), Array(typed.dropFirst(4))))
            offset += 12 + length
        }
        guard chunks.map(\.type) == ["IHDR", "IDAT", "IEND"], offset == bytes.count else { throw Invalid(description: "chunks \(chunks.map(\.type))") }
        guard bytes.suffix(4) == [0xAE, 0x42, 0x60, 0x82] else { throw Invalid(description: "IEND CRC is not AE426082") }
        let header = chunks[0].data
        width = Int(Self.uint32(header, 0))
        height = Int(Self.uint32(header, 4))
        guard header[8...] == [8, 2, 0, 0, 0] else { throw Invalid(description: "not 8-bit RGB") }
        let stream = chunks[1].data
        guard stream.count >= 6, (Int(stream[0]) << 8 | Int(stream[1])) % 31 == 0 else { throw Invalid(description: "bad zlib header") }
        var raw: [UInt8] = []
        var position = 2, final = false
        while !final {
            final = stream[position] & 1 == 1
            guard stream[position] >> 1 == 0 else { throw Invalid(description: "not a stored block") }
            let length = Int(stream[position + 1]) | Int(stream[position + 2]) << 8
            let complement = Int(stream[position + 3]) | Int(stream[position + 4]) << 8
            guard length ^ complement == 0xFFFF else { throw Invalid(description: "bad NLEN") }
            raw += stream[position + 5..<position + 5 + length]
            position += 5 + length
        }
        guard Self.uint32(stream, position) == Self.adler32(raw), position + 4 == stream.count else { throw Invalid(description: "bad Adler-32") }
        guard raw.count == height * (1 + width * 3) else { throw Invalid(description: "\(raw.count) bytes of scanlines") }
        pixels = []
        for row in 0..<height {
            let start = row * (1 + width * 3)
            guard raw[start] == 0 else { throw Invalid(description: "filtered scanline") }
            pixels += raw[start + 1..<start + 1 + width * 3]
        }
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 0 ? 0 : 0xEDB8_8320) }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    private static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
