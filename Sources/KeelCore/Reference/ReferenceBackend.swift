/// The ground-truth backend: plain scalar loops in Double, written straight from the
/// formulas in the operation descriptors.
///
/// It is slow on purpose and has no threads and no fused tricks: every other backend, and
/// every composite default in `Backend+Defaults.swift`, is tested against it. Values are
/// stored as Double; ``upload(_:to:)`` widens Float to Double and ``download(_:into:)``
/// rounds back to the nearest Float, so results are the exactly rounded truth up to Double
/// rounding. New buffers hold NaN until written. There is one instance, ``shared``, which the
/// registry hands out (tensors combine only with tensors of the same backend instance).
///
/// Every operation runs synchronously on the calling thread and never throws; a buffer too
/// small for an operation, or a strided view reading outside its buffer, stops with a
/// precondition failure that names the operation. It needs no device and is always
/// registered, as `reference`.
///
/// ```swift
/// let reference = try Backends.select("reference")   // ReferenceBackend.shared
/// let x = try Tensor([3, 4], shape: [2], on: reference)
/// try x.square().sum().sqrt().scalar()                // 5
/// ```
public final class ReferenceBackend: Backend {
    /// The instance returned by `Backends.select("reference")`.
    public static let shared = ReferenceBackend()

    static let registration = BackendRegistration(name: "reference", summary: "scalar loops in Double; the oracle", priority: 0) { argument in
        if let argument {
            throw KeelError.invalidBackendSpec(spec: "reference:\(argument)", reason: "the reference backend takes no argument; write 'reference'")
        }
        return ReferenceBackend.shared
    }

    private init() {}

    /// The spec string `reference`.
    public var name: String { "reference" }

    /// Where the work runs.
    public var deviceDescription: String { "host CPU, scalar Double loops" }

    // MARK: - Memory

    /// Allocates `count` Doubles, set to NaN, on the host heap.
    /// - Parameter count: The number of elements, `≥ 0`.
    public func makeBuffer(count: Int) throws -> any DeviceBuffer {
        ReferenceBuffer(count: count)
    }

    /// Widens `values` to Double into the start of `buffer`.
    /// - Parameters:
    ///   - values: The elements to copy.
    ///   - buffer: A reference buffer holding at least `values.count` elements.
    public func upload(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer) throws {
        let buffer = checked(buffer, holds: values.count, "destination", in: "upload")
        for index in 0..<values.count {
            buffer[index] = Double(values[index])
        }
    }

    /// Rounds the first `values.count` elements of `buffer` to the nearest Float.
    /// - Parameters:
    ///   - buffer: A reference buffer holding at least `values.count` elements.
    ///   - values: The destination.
    public func download(_ buffer: any DeviceBuffer, into values: UnsafeMutableBufferPointer<Float>) throws {
        let buffer = checked(buffer, holds: values.count, "source", in: "download")
        for index in 0..<values.count {
            values[index] = Float(buffer[index])
        }
    }

    /// Copies Double values into the start of `buffer` without rounding (for finite-difference checks).
    package func uploadDoubles(_ values: [Double], to buffer: any DeviceBuffer) {
        let buffer = checked(buffer, holds: values.count, "destination", in: "uploadDoubles")
        for index in 0..<values.count {
            buffer[index] = values[index]
        }
    }

    /// Every element of `buffer`, unrounded.
    package func downloadDoubles(_ buffer: any DeviceBuffer) -> [Double] {
        let buffer = buffer.as(ReferenceBuffer.self)
        return (0..<buffer.count).map { buffer[$0] }
    }

    /// Does nothing: every operation finishes before it returns.
    public func synchronize() throws {}

    /// Sets the first `count` elements of `buffer` to `value`.
    /// - Parameters:
    ///   - buffer: A reference buffer holding at least `count` elements.
    ///   - value: The value every element gets.
    ///   - count: How many leading elements to set.
    public func fill(_ buffer: any DeviceBuffer, value: Float, count: Int) throws {
        let buffer = checked(buffer, holds: count, "buffer", in: "fill(count: \(count))")
        for index in 0..<count {
            buffer[index] = Double(value)
        }
    }

    /// Gathers `source`, iterated over `shape` in row-major order, into contiguous `output`,
    /// computing each element's index from the strides.
    /// - Parameters:
    ///   - source: The view read, with one stride per axis of `shape`.
    ///   - output: A reference buffer holding at least `shape.elementCount` elements.
    ///   - shape: The iteration shape.
    public func copy(_ source: StridedView, to output: any DeviceBuffer, shape: Shape) throws {
        let operation = "copy(shape: \(shape), offset: \(source.offset), strides: \(source.strides))"
        let output = checked(output, holds: shape.elementCount, "output", in: operation)
        let sourceBuffer = source.buffer.as(ReferenceBuffer.self)
        let values = elementIndices(source, shape: shape, in: operation).map { sourceBuffer[$0] }
        write(values, to: output)
    }

    // MARK: - Random numbers

    /// Stores ``Philox4x32/sample(_:at:)`` (computed in Float, so every backend agrees bit for bit).
    /// - Parameters:
    ///   - distribution: What to draw.
    ///   - seed: The generator's key.
    ///   - offset: The counter of element 0.
    ///   - output: A reference buffer holding at least `count` elements.
    ///   - count: The number of values.
    public func randomFill(_ distribution: RandomDistribution, seed: UInt64, offset: UInt64, output: any DeviceBuffer, count: Int) throws {
        let output = checked(output, holds: count, "output", in: "randomFill(\(distribution), count: \(count))")
        let generator = Philox4x32(seed: seed)
        for index in 0..<count {
            output[index] = Double(generator.sample(distribution, at: offset &+ UInt64(index)))
        }
    }

    // MARK: - Helpers shared by the operations

    /// Casts `buffer` to a ``ReferenceBuffer``, trapping with a message naming `operation`
    /// and `role` when it holds fewer than `count` elements.
    func checked(_ buffer: any DeviceBuffer, holds count: Int, _ role: String, in operation: @autoclosure () -> String) -> ReferenceBuffer {
        let buffer = buffer.as(ReferenceBuffer.self)
        precondition(buffer.count >= count, "\(operation()): \(role) buffer holds \(buffer.count) elements but needs \(count)")
        return buffer
    }

    /// The element index `view` reads at each position of `shape`, in row-major order,
    /// trapping when one falls outside the view's buffer.
    func elementIndices(_ view: StridedView, shape: Shape, in operation: @autoclosure () -> String) -> [Int] {
        precondition(view.strides.count == shape.rank, "\(operation()): \(view.strides.count) strides for a shape of rank \(shape.rank)")
        let indices = (0..<shape.elementCount).map { position in
            var remainder = position
            var index = view.offset
            for axis in stride(from: shape.rank - 1, through: 0, by: -1) {
                let dimension = shape.dimensions[axis]
                index += (remainder % dimension) * view.strides[axis]
                remainder /= dimension
            }
            return index
        }
        let count = view.buffer.count
        precondition(indices.allSatisfy { $0 >= 0 && $0 < count },
                     "\(operation()): the view reads elements \(indices.min() ?? 0)...\(indices.max() ?? 0) of a buffer holding \(count)")
        return indices
    }

    /// Writes `values` to the start of `buffer`.
    func write(_ values: [Double], to buffer: ReferenceBuffer) {
        for index in 0..<values.count {
            buffer[index] = values[index]
        }
    }
}
