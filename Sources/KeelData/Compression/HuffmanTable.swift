/// A canonical Huffman code (RFC 1951 §3.2.2) as a single-level lookup table.
///
/// The table is indexed by the next `bitWidth` input bits (least significant bit first, as
/// DEFLATE packs them); each entry holds `symbol << 4 | codeLength`, and 0 where no code
/// matches (an invalid code).
struct HuffmanTable: Sendable {
    /// How a code may be incomplete; zlib's rules, which every deflater follows.
    enum Kind {
        /// The code-length code of a dynamic block: must be complete.
        case codeLengths
        /// A literal/length or distance code: may be incomplete only if it has one code of length 1.
        case symbols
    }

    static let maximumCodeLength = 15
    private(set) var entries: [UInt16]
    /// How many bits a lookup peeks at: the longest code length (at least 1).
    let bitWidth: Int

    /// Builds the table for `lengths[symbol]` (0 = symbol unused); nil if the lengths do not
    /// form a valid prefix code.
    init?(lengths: ArraySlice<UInt8>, kind: Kind) {
        var lengthCounts = [Int](repeating: 0, count: Self.maximumCodeLength + 1)
        for length in lengths { lengthCounts[Int(length)] += 1 }
        lengthCounts[0] = 0
        let longest = lengthCounts.lastIndex { $0 > 0 } ?? 0
        // Kraft: count the codes still free at each length; negative means over-subscribed.
        var left = 1
        for length in 1...Self.maximumCodeLength {
            left = left * 2 - lengthCounts[length]
            if left < 0 { return nil }
        }
        if left > 0, kind == .codeLengths || longest > 1 { return nil }

        var nextCode = [Int](repeating: 0, count: Self.maximumCodeLength + 2)
        for length in 1...Self.maximumCodeLength {
            nextCode[length + 1] = (nextCode[length] + lengthCounts[length]) << 1
        }
        bitWidth = max(longest, 1)
        var entries = [UInt16](repeating: 0, count: 1 << bitWidth)
        for (symbol, length) in zip(0..., lengths) where length > 0 {
            let length = Int(length)
            let code = nextCode[length]
            nextCode[length] += 1
            var reversed = 0
            for bit in 0..<length where code & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
            let entry = UInt16(symbol << 4 | length)
            for index in stride(from: reversed, to: entries.count, by: 1 << length) { entries[index] = entry }
        }
        self.entries = entries
    }

    /// The fixed literal/length code of RFC 1951 §3.2.6.
    static let fixedLiteralLengths = HuffmanTable(
        lengths: ArraySlice([UInt8](repeating: 8, count: 144) + [UInt8](repeating: 9, count: 112)
            + [UInt8](repeating: 7, count: 24) + [UInt8](repeating: 8, count: 8)),
        kind: .symbols)!

    /// The fixed distance code of RFC 1951 §3.2.6 (symbols 30 and 31 exist but are invalid).
    static let fixedDistances = HuffmanTable(lengths: ArraySlice([UInt8](repeating: 5, count: 32)), kind: .symbols)!
}
