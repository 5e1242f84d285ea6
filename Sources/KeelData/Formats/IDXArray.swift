/// An array read from an IDX file (the format of the MNIST distribution).
///
/// Holds the element type, the shape and the elements; ``floatValues`` and ``integerValues``
/// convert them. Unsigned bytes (the type of every MNIST file) are also available unconverted
/// as ``bytes``. Read one with ``IDXReader``.
public struct IDXArray: Sendable, Equatable {
    /// The element types an IDX header can declare, by their type code.
    public enum ElementType: UInt8, Sendable, Equatable, CaseIterable {
        /// Unsigned byte (MNIST's pixels and labels).
        case uint8 = 0x08
        /// Signed byte.
        case int8 = 0x09
        /// 16-bit signed integer.
        case int16 = 0x0B
        /// 32-bit signed integer.
        case int32 = 0x0C
        /// 32-bit float.
        case float32 = 0x0D
        /// 64-bit float.
        case float64 = 0x0E

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .uint8, .int8: 1
            case .int16: 2
            case .int32, .float32: 4
            case .float64: 8
            }
        }
    }

    /// The element type declared in the header.
    public let elementType: ElementType
    /// The size of each dimension, outermost first (for MNIST images `[count, 28, 28]`).
    public let shape: [Int]
    /// The elements as stored: row-major, big-endian, `elementType.size` bytes each.
    let payload: [UInt8]

    init(elementType: ElementType, shape: [Int], payload: [UInt8]) {
        self.elementType = elementType
        self.shape = shape
        self.payload = payload
    }

    /// The number of elements (the product of the shape).
    public var count: Int { shape.reduce(1, *) }

    /// The elements unconverted if the type is `uint8`, else nil.
    public var bytes: [UInt8]? { elementType == .uint8 ? payload : nil }

    /// The elements converted to Float, row-major (float64 elements are rounded).
    public var floatValues: [Float] {
        switch elementType {
        case .uint8: return payload.map(Float.init)
        case .float32: return (0..<count).map { Float(bitPattern: word32(at: $0 * 4)) }
        case .float64: return (0..<count).map { Float(Double(bitPattern: word64(at: $0 * 8))) }
        case .int8, .int16, .int32: return integers.map(Float.init)
        }
    }

    /// The elements as integers, row-major, or nil if the type is a floating-point one.
    public var integerValues: [Int]? {
        elementType == .float32 || elementType == .float64 ? nil : integers
    }

    private var integers: [Int] {
        switch elementType {
        case .uint8: payload.map(Int.init)
        case .int8: payload.map { Int(Int8(bitPattern: $0)) }
        case .int16: (0..<count).map { Int(Int16(bitPattern: UInt16(payload[2 * $0]) << 8 | UInt16(payload[2 * $0 + 1]))) }
        case .int32, .float32, .float64: (0..<count).map { Int(Int32(bitPattern: word32(at: $0 * 4))) }
        }
    }

    private func word32(at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 << 8 | UInt32(payload[offset + $1]) }
    }

    private func word64(at offset: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 << 8 | UInt64(payload[offset + $1]) }
    }
}
