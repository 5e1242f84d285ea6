/// Memory owned by a backend, holding `count` Float32 elements.
///
/// Each backend defines its own buffer class and releases the memory in `deinit`.
/// Backends receive buffers as `any DeviceBuffer` and cast them to their own type;
/// passing one backend's buffer to another backend is a programming error.
public protocol DeviceBuffer: AnyObject, Sendable {
    /// The number of Float32 elements the buffer holds.
    var count: Int { get }
}

extension DeviceBuffer {
    /// Casts to a backend's concrete buffer type, trapping with a clear message on a foreign buffer.
    @inlinable
    public func `as`<Concrete: DeviceBuffer>(_ type: Concrete.Type) -> Concrete {
        guard let concrete = self as? Concrete else {
            preconditionFailure("A \(Swift.type(of: self)) was passed to a backend that expects \(Concrete.self): tensors from different backends cannot be mixed; move one with `to(_:)`")
        }
        return concrete
    }
}

/// A strided, possibly offset view of a buffer, used by ``Backend/copy(_:to:shape:)`` and
/// ``Backend/binary(_:_:_:output:shape:)``; a stride of 0 repeats (broadcasts) that axis.
public struct StridedView: Sendable {
    /// The buffer read from.
    public var buffer: any DeviceBuffer
    /// The element offset of the first element.
    public var offset: Int
    /// The step in elements for each axis of the iteration shape.
    public var strides: [Int]

    public init(_ buffer: any DeviceBuffer, offset: Int = 0, strides: [Int]) {
        self.buffer = buffer
        self.offset = offset
        self.strides = strides
    }

    /// Whether the view reads `shape` contiguously from its offset.
    public func isContiguous(for shape: Shape) -> Bool {
        zip(strides, shape.strides).enumerated().allSatisfy { axis, pair in
            pair.0 == pair.1 || shape.dimensions[axis] == 1
        }
    }
}
