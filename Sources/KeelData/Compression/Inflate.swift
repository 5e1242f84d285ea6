/// Raw DEFLATE decompression (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks.
///
/// Pure Swift, no zlib. Corrupt or truncated input throws ``DataError/malformed(source:format:reason:)``;
/// every step consumes input or ends, so no input makes it loop forever.
public enum Inflate {
    /// Decompresses a raw DEFLATE stream (no zlib or gzip framing).
    ///
    /// - Parameters:
    ///   - deflated: the compressed bytes; bytes after the final block are ignored.
    ///   - source: the name used in errors, for example the file name.
    ///   - limit: the most bytes the output may hold.
    /// - Returns: the decompressed bytes.
    /// - Throws: ``DataError/malformed(source:format:reason:)`` when a block type, code,
    ///   length or distance is invalid or the stream ends before its final block;
    ///   ``DataError/tooLarge(source:size:limit:)`` as soon as the output would pass `limit`.
    public static func decompress(_ deflated: [UInt8], source: String = "DEFLATE data", limit: Int = ReadLimit.bytes) throws -> [UInt8] {
        do {
            return try deflated.withUnsafeBufferPointer { input in
                try decompress(input, from: 0, expectedSize: deflated.count * 4, limit: limit, source: source).output
            }
        } catch is LimitReached {
            throw DataError.tooLarge(source: source, size: nil, limit: limit)
        }
    }

    /// Thrown when the output reaches its limit with more to come; `decoded` holds the first
    /// `limit` bytes.
    struct LimitReached: Error {
        let decoded: [UInt8]
    }

    /// Decompresses the stream that starts at `input[start]`.
    ///
    /// - Parameters:
    ///   - expectedSize: a capacity hint for the output.
    ///   - limit: the most bytes the output may hold.
    /// - Returns: the output and the index of the first byte after the stream.
    /// - Throws: ``LimitReached`` when the stream holds more than `limit` bytes, or ``DataError``.
    static func decompress(_ input: UnsafeBufferPointer<UInt8>, from start: Int, expectedSize: Int, limit: Int,
                           source: String) throws -> (output: [UInt8], end: Int) {
        var inflater = Inflater(input: input, position: start, capacity: expectedSize, limit: limit, source: source)
        defer { inflater.output.deallocate() }
        try inflater.run()
        return (inflater.decoded, inflater.position)
    }
}

/// The decoder's state: a 64-bit little-endian bit reservoir over the input and a growable output.
private struct Inflater {
    let input: UnsafeBufferPointer<UInt8>
    var position: Int
    var bits: UInt64 = 0
    var bitCount = 0
    var output: UnsafeMutablePointer<UInt8>
    var outputCount = 0
    /// At most ``limit``, so the output never grows past it.
    var outputCapacity: Int
    let limit: Int
    let source: String

    init(input: UnsafeBufferPointer<UInt8>, position: Int, capacity: Int, limit: Int, source: String) {
        self.input = input
        self.position = position
        self.limit = max(limit, 0)
        outputCapacity = min(max(capacity, 1024), self.limit)
        output = .allocate(capacity: max(outputCapacity, 1))
        self.source = source
    }

    /// The bytes decoded so far.
    var decoded: [UInt8] { Array(UnsafeBufferPointer(start: output, count: outputCount)) }

    static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtraBits: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtraBits: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// The order in which a dynamic block lists the code-length code's lengths.
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    func failure(_ reason: String) -> DataError {
        .malformed(source: source, format: .deflate, reason: reason)
    }

    // MARK: - Blocks

    mutating func run() throws {
        var isFinal = false
        while !isFinal {
            isFinal = try readBits(1) == 1
            switch try readBits(2) {
            case 0: try copyStoredBlock()
            case 1: try decodeBlock(literals: HuffmanTable.fixedLiteralLengths, distances: HuffmanTable.fixedDistances)
            case 2:
                let (literals, distances) = try readDynamicTables()
                try decodeBlock(literals: literals, distances: distances)
            default: throw failure("block type 3 is reserved (at byte \(position))")
            }
        }
        alignToByte()
    }

    /// Drops the bits left in the current byte and returns whole buffered bytes to the input.
    mutating func alignToByte() {
        position -= bitCount / 8
        bits = 0
        bitCount = 0
    }

    mutating func copyStoredBlock() throws {
        alignToByte()
        guard position + 4 <= input.count else { throw failure("stored block header is truncated") }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == complement ^ 0xFFFF else { throw failure("stored block length \(length) does not match its complement") }
        position += 4
        guard position + length <= input.count else { throw failure("stored block of \(length) bytes is truncated") }
        let room = reserve(length)
        (output + outputCount).update(from: input.baseAddress! + position, count: room)
        outputCount += room
        guard room == length else { throw Inflate.LimitReached(decoded: decoded) }
        position += length
    }

    mutating func readDynamicTables() throws -> (HuffmanTable, HuffmanTable) {
        let literalCount = try readBits(5) + 257
        let distanceCount = try readBits(5) + 1
        let codeLengthCount = try readBits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw failure("dynamic block declares \(literalCount) literal/length and \(distanceCount) distance codes (at most 286 and 30)")
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengthLengths[Self.codeLengthOrder[index]] = UInt8(try readBits(3)) }
        guard let codeLengths = HuffmanTable(lengths: codeLengthLengths[...], kind: .codeLengths) else {
            throw failure("invalid code-length code")
        }
        var lengths = [UInt8](repeating: 0, count: literalCount + distanceCount)
        var index = 0
        while index < lengths.count {
            let symbol = try decode(codeLengths)
            var repeated: UInt8 = 0
            var count = 1
            switch symbol {
            case 0...15: repeated = UInt8(symbol)
            case 16:
                guard index > 0 else { throw failure("code-length repeat with no previous length") }
                repeated = lengths[index - 1]
                count = 3 + (try readBits(2))
            case 17: count = 3 + (try readBits(3))
            default: count = 11 + (try readBits(7))
            }
            guard index + count <= lengths.count else { throw failure("code lengths overrun the declared code counts") }
            for offset in 0..<count { lengths[index + offset] = repeated }
            index += count
        }
        guard lengths[256] != 0 else { throw failure("dynamic block has no end-of-block code") }
        guard let literals = HuffmanTable(lengths: lengths[..<literalCount], kind: .symbols) else {
            throw failure("invalid literal/length code")
        }
        guard let distances = HuffmanTable(lengths: lengths[literalCount...], kind: .symbols) else {
            throw failure("invalid distance code")
        }
        return (literals, distances)
    }

    mutating func decodeBlock(literals: HuffmanTable, distances: HuffmanTable) throws {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                guard reserve(1) == 1 else { throw Inflate.LimitReached(decoded: decoded) }
                output[outputCount] = UInt8(truncatingIfNeeded: symbol)
                outputCount += 1
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < 29 else { throw failure("invalid length symbol \(symbol)") }
            let length = Self.lengthBase[lengthIndex] + (try readBits(Self.lengthExtraBits[lengthIndex]))
            let distanceSymbol = try decode(distances)
            guard distanceSymbol < 30 else { throw failure("invalid distance symbol \(distanceSymbol)") }
            let distance = Self.distanceBase[distanceSymbol] + (try readBits(Self.distanceExtraBits[distanceSymbol]))
            guard distance <= outputCount else {
                throw failure("back-reference \(distance) bytes back, but only \(outputCount) bytes are decoded")
            }
            let room = reserve(length)
            let target = output + outputCount
            let origin = target - distance
            if distance >= room {
                target.update(from: origin, count: room)
            } else {
                for offset in 0..<room { target[offset] = origin[offset] }
            }
            outputCount += room
            guard room == length else { throw Inflate.LimitReached(decoded: decoded) }
        }
    }

    // MARK: - Bits and output

    /// Tops the reservoir up to at least 56 bits, or with whatever input is left.
    @inline(__always)
    mutating func refill() {
        if position + 8 <= input.count {
            // Load eight bytes at once; bytes beyond the counted ones are loaded again next time.
            let word = UInt64(littleEndian: UnsafeRawPointer(input.baseAddress! + position).loadUnaligned(as: UInt64.self))
            bits |= word << UInt64(bitCount)
            let taken = (63 - bitCount) >> 3
            position += taken
            bitCount += taken * 8
        } else {
            while bitCount <= 56, position < input.count {
                bits |= UInt64(input[position]) << UInt64(bitCount)
                position += 1
                bitCount += 8
            }
        }
    }

    @inline(__always)
    mutating func readBits(_ count: Int) throws -> Int {
        if bitCount < count {
            refill()
            guard bitCount >= count else { throw failure("stream is truncated") }
        }
        let value = Int(truncatingIfNeeded: bits & ((1 << UInt64(count)) &- 1))
        bits >>= UInt64(count)
        bitCount -= count
        return value
    }

    @inline(__always)
    mutating func decode(_ table: HuffmanTable) throws -> Int {
        if bitCount < HuffmanTable.maximumCodeLength { refill() }
        let entry = table.entries[Int(truncatingIfNeeded: bits & ((1 << UInt64(table.bitWidth)) &- 1))]
        let length = Int(entry & 15)
        guard length != 0 else { throw failure("invalid Huffman code") }
        guard length <= bitCount else { throw failure("stream is truncated") }
        bits >>= UInt64(length)
        bitCount -= length
        return Int(entry >> 4)
    }

    /// Makes room for `count` more output bytes, growing the buffer up to ``limit``; returns how
    /// many fit (fewer than `count` only at the limit).
    @inline(__always)
    mutating func reserve(_ count: Int) -> Int {
        guard outputCount + count > outputCapacity else { return count }
        let capacity = min(max(outputCapacity * 2, outputCount + count), limit)
        if capacity > outputCapacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: output, count: outputCount)
            output.deallocate()
            output = grown
            outputCapacity = capacity
        }
        return min(count, outputCapacity - outputCount)
    }
}
