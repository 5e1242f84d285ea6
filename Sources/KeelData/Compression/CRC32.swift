/// CRC-32 as used by gzip, zip and PNG (ISO 3309, reflected polynomial 0xEDB88320).
package enum CRC32 {
    /// The byte-wise lookup tables for slicing by four.
    static let tables: [[UInt32]] = {
        var first = [UInt32](repeating: 0, count: 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            first[byte] = crc
        }
        var tables = [first]
        for _ in 1..<4 {
            let previous = tables[tables.count - 1]
            tables.append((0..<256).map { first[Int(previous[$0] & 0xFF)] ^ (previous[$0] >> 8) })
        }
        return tables
    }()

    /// The CRC-32 of `bytes`, continuing from `crc` (the CRC of the bytes before them).
    package static func checksum(_ bytes: UnsafeBufferPointer<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
        let t0 = tables[0], t1 = tables[1], t2 = tables[2], t3 = tables[3]
        var crc = ~crc
        var index = 0
        while index + 4 <= bytes.count {
            crc ^= UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24
            crc = t3[Int(crc & 0xFF)] ^ t2[Int((crc >> 8) & 0xFF)] ^ t1[Int((crc >> 16) & 0xFF)] ^ t0[Int(crc >> 24)]
            index += 4
        }
        while index < bytes.count {
            crc = t0[Int((crc ^ UInt32(bytes[index])) & 0xFF)] ^ (crc >> 8)
            index += 1
        }
        return ~crc
    }

    /// The CRC-32 of `bytes`.
    package static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { checksum($0) }
    }
}
