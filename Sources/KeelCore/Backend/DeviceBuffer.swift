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
    ///
    /// A backend calls it on every buffer it receives:
    /// `let buffer = buffer.as(MyBuffer.self)`.
    /// - Parameter type: The backend's own buffer class.
    /// - Returns: `self` as `Concrete`; a buffer of another type stops with a precondition failure
    ///   that tells the user to move one tensor with ``Tensor/to(_:)``.
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

    /// Creates a view; offsets and strides are in elements, not bytes.
    /// - Parameters:
    ///   - buffer: The buffer read from.
    ///   - offset: The element index of the view's first element.
    ///   - strides: The step for each axis of the shape the view is iterated over (0 repeats an axis).
    public init(_ buffer: any DeviceBuffer, offset: Int = 0, strides: [Int]) {
        self.buffer = buffer
        self.offset = offset
        self.strides = strides
    }

    /// Whether the view reads `shape` contiguously from its offset (size-1 axes may have any stride).
    /// - Parameter shape: The iteration shape, one dimension per stride.
    public func isContiguous(for shape: Shape) -> Bool {
        zip(strides, shape.strides).enumerated().allSatisfy { axis, pair in
            pair.0 == pair.1 || shape.dimensions[axis] == 1
        }
    }
}
