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
    /// - Parameter url: the file.
    /// - Throws: ``DataError/cannotRead(path:reason:)``, or ``DataError/malformed(source:format:reason:)``
    ///   when the gzip or IDX data is invalid (see ``decode(_:source:)``).
    public static func read(contentsOf url: URL) throws -> IDXArray {
        try decode(FileBytes.readDecompressing(url), source: url.path)
    }

    /// Decodes IDX bytes (already decompressed).
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - source: the name used in errors, for example the file name.
    /// - Throws: ``DataError/malformed(source:format:reason:)`` when the magic number or type code
    ///   is wrong, the header is truncated, or the data is not exactly the size the shape needs.
    public static func decode(_ bytes: [UInt8], source: String = "IDX data") throws -> IDXArray {
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
        var expected = elementType.size
        for size in shape {
            let (product, overflow) = expected.multipliedReportingOverflow(by: size)
            guard !overflow else { throw failure("shape \(shape) is too large") }
            expected = product
        }
        let actual = bytes.count - headerSize
        guard actual == expected else {
            throw failure("shape \(shape) of \(elementType) needs \(expected) data bytes, the file has \(actual)")
        }
        return IDXArray(elementType: elementType, shape: shape, payload: Array(bytes[headerSize...]))
    }
}
