import Foundation

/// Reads IDX files: two zero bytes, a type code, the number of dimensions, one big-endian
/// `UInt32` size per dimension, then the elements (big-endian, row-major).
///
/// ```swift
/// let labels = try IDXReader.read(contentsOf: URL(fileURLWithPath: "t10k-labels-idx1-ubyte.gz"))
/// print(labels.shape, labels.integerValues?.prefix(10) ?? [])
/// ```
public enum IDXReader {
    /// Reads the IDX file at `url`, plain or gzip-compressed (detected by its magic number).
    ///
    /// A gzip file is inflated only as far as its IDX header at first: a header whose shape needs
    /// more than ``ReadLimit/bytes`` is refused before the rest is inflated, and the rest is
    /// inflated no further than the header says.
    ///
    /// - Parameter url: the file.
    /// - Throws: ``DataError/cannotRead(path:reason:)``, ``DataError/notAFile(path:kind:)``,
    ///   ``DataError/emptyFile(path:)``, ``DataError/tooLarge(source:size:limit:)``, or
    ///   ``DataError/malformed(source:format:reason:)`` when the gzip or IDX data is invalid
    ///   (see ``decode(_:source:)``).
    public static func read(contentsOf url: URL) throws -> IDXArray {
        try decodeFile(FileBytes.read(url), source: url.path)
    }

    /// Decodes the bytes of an IDX file as ``read(contentsOf:)`` does: plain, or gzip inflated
    /// first as far as the header, then no further than the header's shape needs.
    package static func decodeFile(_ bytes: [UInt8], source: String) throws -> IDXArray {
        guard Gzip.isCompressed(bytes) else { return try decode(bytes, source: source) }
        let size = try header(Gzip.decompressedPrefix(bytes, count: maximumHeaderSize, source: source), source: source).fileSize
        guard size <= ReadLimit.bytes else { throw DataError.tooLarge(source: source, size: size, limit: ReadLimit.bytes) }
        do {
            return try decode(Gzip.decompress(bytes, source: source, limit: size), source: source)
        } catch DataError.tooLarge {
            throw DataError.malformed(source: source, format: .idx, reason: "it decompresses to more than the \(size) bytes its header promises")
        }
    }

    /// Decodes IDX bytes (already decompressed).
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - source: the name used in errors, for example the file name.
    /// - Throws: ``DataError/malformed(source:format:reason:)`` when the magic number or type code
    ///   is wrong, the header is truncated, or the data is not exactly the size the shape needs.
    public static func decode(_ bytes: [UInt8], source: String = "IDX data") throws -> IDXArray {
        let header = try header(bytes, source: source)
        let actual = bytes.count - header.size
        let expected = header.fileSize - header.size
        guard actual == expected else {
            throw DataError.malformed(source: source, format: .idx,
                                      reason: "shape \(header.shape) of \(header.elementType) needs \(expected) data bytes, the file has \(actual)")
        }
        return IDXArray(elementType: header.elementType, shape: header.shape, payload: Array(bytes[header.size...]))
    }

    /// The longest header: the magic number and 255 dimension sizes.
    static let maximumHeaderSize = 4 + 4 * 255

    /// What the header at the start of `bytes` declares; `size` is the header's own size and
    /// `fileSize` the whole file's that its shape needs.
    private static func header(_ bytes: [UInt8], source: String) throws -> (elementType: IDXArray.ElementType, shape: [Int], size: Int, fileSize: Int) {
        func failure(_ reason: String) -> DataError { .malformed(source: source, format: .idx, reason: reason) }
        guard bytes.count >= 4 else { throw failure("\(bytes.count) bytes is shorter than the 4-byte magic number") }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw failure(Gzip.isCompressed(bytes) ? "it is still gzip-compressed" : "the magic number does not start with two zero bytes")
        }
        guard let elementType = IDXArray.ElementType(rawValue: bytes[2]) else {
            throw failure("unknown element type code 0x\(String(bytes[2], radix: 16))")
        }
        let dimensions = Int(bytes[3])
        let headerSize = 4 + 4 * dimensions
        guard bytes.count >= headerSize else { throw failure("the header of \(dimensions) dimension sizes is truncated") }
        let shape = (0..<dimensions).map { dimension in
            (0..<4).reduce(0) { $0 << 8 | Int(bytes[4 + 4 * dimension + $1]) }
        }
        var dataSize = elementType.size
        for size in shape {
            let (product, overflow) = dataSize.multipliedReportingOverflow(by: size)
            guard !overflow, product <= Int.max - headerSize else { throw failure("shape \(shape) is too large") }
            dataSize = product
        }
        return (elementType, shape, headerSize, headerSize + dataSize)
    }
}
