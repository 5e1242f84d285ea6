/// A row-major Float32 array whose storage lives on a backend.
///
/// Operations never change a tensor: each runs on the tensor's backend and produces a new
/// tensor there. Storage is changed in place only explicitly, by ``overwrite(with:)`` or by a
/// backend operation given a tensor's ``buffer`` as its output (the optimisers' fused steps);
/// every tensor sharing that storage sees the change. Nothing is copied
/// through the host until you ask with ``toArray()`` or ``scalar()``. Operations record what
/// they did when an input ``requiresGradient``, so ``gradients(of:)`` can run reverse-mode
/// differentiation.
///
/// ```swift
/// let backend = try Backends.select("reference")
/// let x = try Tensor([1, 2, 3, 4], shape: [2, 2], on: backend)
/// let w = try Tensor.random([2, 1], .normal(mean: 0, standardDeviation: 0.1), seed: 7, on: backend).requiringGradient()
/// let loss = try x.matmul(w).square().mean()
/// let gradient = try loss.gradients(of: [w])[0]    // ∂loss/∂w, a 2×1 tensor
/// print(try loss.scalar(), try gradient.toArray())
/// ```
///
/// Operations are `throws` because the device may fail; one `try` covers an expression.
/// Misuse (shapes that do not fit, tensors on different backends) stops with a precondition
/// failure whose message names the shapes. Element-wise operators broadcast with NumPy rules,
/// and mix with `Float` scalars: `2 * x + 1`.
public struct Tensor: Sendable, CustomStringConvertible {
    /// The tensor's dimensions.
    public let shape: Shape
    package let storage: TensorStorage
    package let gradientNode: GradientNode?

    package init(shape: Shape, storage: TensorStorage, gradientNode: GradientNode? = nil) {
        precondition(storage.buffer.count >= shape.elementCount, "A \(shape) tensor needs \(shape.elementCount) elements, its buffer holds \(storage.buffer.count)")
        self.shape = shape
        self.storage = storage
        self.gradientNode = gradientNode
    }

    /// The backend that holds the tensor and runs its operations; results of operations live there too.
    public var backend: any Backend { storage.backend }
    /// The device buffer holding the elements, row-major from index 0; it may hold more
    /// elements than ``elementCount``, and tensors made by ``reshaped(_:)`` share it.
    public var buffer: any DeviceBuffer { storage.buffer }
    /// The number of elements.
    public var elementCount: Int { shape.elementCount }
    /// Whether gradients flow back through this tensor.
    public var requiresGradient: Bool { gradientNode != nil }

    /// The shape and backend, for example `Tensor[2×3] on cpu` (never the values).
    public var description: String { "Tensor\(shape) on \(backend.name)" }

    // MARK: - Creation

    /// Uploads `values` (row-major) as a tensor of `shape`.
    /// - Parameters:
    ///   - values: `shape.elementCount` elements, row-major; another count stops with a
    ///     precondition failure.
    ///   - shape: The dimensions.
    ///   - backend: Where the tensor lives; `nil` uses ``Backends/current()``.
    /// - Throws: What ``Backends/current()`` throws, or the backend's allocation or transfer failure.
    public init(_ values: [Float], shape: Shape, on backend: (any Backend)? = nil) throws {
        precondition(values.count == shape.elementCount, "\(values.count) values cannot fill a \(shape) tensor (\(shape.elementCount) elements)")
        let tensor = try Tensor.uninitialized(shape, on: backend ?? Backends.current())
        try tensor.overwrite(with: values)
        self = tensor
    }

    /// A 0-dimensional tensor holding `value`.
    /// - Parameters:
    ///   - value: The element.
    ///   - backend: Where the tensor lives; `nil` uses ``Backends/current()``.
    /// - Throws: What ``Backends/current()`` throws, or the backend's allocation or transfer failure.
    public init(scalar value: Float, on backend: (any Backend)? = nil) throws {
        try self.init([value], shape: [], on: backend)
    }

    /// A tensor of `shape` with every element equal to `value`.
    /// - Parameters:
    ///   - value: The value of every element.
    ///   - shape: The dimensions.
    ///   - backend: Where the tensor lives; `nil` uses ``Backends/current()``.
    /// - Throws: What ``Backends/current()`` throws, or the backend's allocation failure.
    public static func full(_ value: Float, shape: Shape, on backend: (any Backend)? = nil) throws -> Tensor {
        let tensor = try uninitialized(shape, on: backend ?? Backends.current())
        try tensor.backend.fill(tensor.buffer, value: value, count: shape.elementCount)
        return tensor
    }

    /// A tensor of zeros.
    /// - Parameters:
    ///   - shape: The dimensions.
    ///   - backend: Where the tensor lives; `nil` uses ``Backends/current()``.
    /// - Throws: What ``Backends/current()`` throws, or the backend's allocation failure.
    public static func zeros(_ shape: Shape, on backend: (any Backend)? = nil) throws -> Tensor {
        try full(0, shape: shape, on: backend)
    }

    /// A tensor of ones.
    /// - Parameters:
    ///   - shape: The dimensions.
    ///   - backend: Where the tensor lives; `nil` uses ``Backends/current()``.
    /// - Throws: What ``Backends/current()`` throws, or the backend's allocation failure.
    public static func ones(_ shape: Shape, on backend: (any Backend)? = nil) throws -> Tensor {
        try full(1, shape: shape, on: backend)
    }

    /// Random values from the counter-based generator: element `i` is the value at counter
    /// `offset + i` for `seed`, identical on every backend.
    ///
    /// ```swift
    /// let weights = try Tensor.random([784, 10], .normal(mean: 0, standardDeviation: 0.01), seed: 3)
    /// let mask = try Tensor.random([64, 100], .bernoulli(probability: 0.5), seed: 3, offset: 7_840)   // continues the stream
    /// ```
    /// - Parameters:
    ///   - shape: The dimensions.
    ///   - distribution: What to draw (see ``RandomDistribution``).
    ///   - seed: The generator's key; the same seed gives the same values.
    ///   - offset: The counter of element 0; continue a stream with `offset + elementCount`.
    ///   - backend: Where the tensor lives; `nil` uses ``Backends/current()``.
    /// - Throws: What ``Backends/current()`` throws, or the backend's allocation failure.
    public static func random(_ shape: Shape, _ distribution: RandomDistribution, seed: UInt64, offset: UInt64 = 0,
                              on backend: (any Backend)? = nil) throws -> Tensor {
        let tensor = try uninitialized(shape, on: backend ?? Backends.current())
        try tensor.backend.randomFill(distribution, seed: seed, offset: offset, output: tensor.buffer, count: shape.elementCount)
        return tensor
    }

    /// A tensor whose contents are unspecified until an operation writes them.
    package static func uninitialized(_ shape: Shape, on backend: any Backend) throws -> Tensor {
        Tensor(shape: shape, storage: TensorStorage(backend: backend, buffer: try backend.makeBuffer(count: shape.elementCount)))
    }

    // MARK: - Writing in place

    /// Replaces the elements with `values` (row-major), in place.
    ///
    /// The one way besides a backend operation to change a tensor: every tensor sharing its
    /// storage (``reshaped(_:)``, ``detached()``, ``requiringGradient()``) sees the new values,
    /// and gradients recorded before the write are not recomputed. `Layer.restore` and the
    /// anchor classifier's sample initialisation write parameters this way.
    /// - Parameter values: ``elementCount`` elements; another count stops with a precondition failure.
    /// - Throws: The backend's transfer failure.
    public func overwrite(with values: [Float]) throws {
        precondition(values.count == elementCount, "\(values.count) values cannot overwrite a \(shape) tensor (\(elementCount) elements)")
        try values.withUnsafeBufferPointer { try backend.upload($0, to: buffer) }
    }

    // MARK: - Reading back

    /// Copies the elements to the host (row-major), waiting for pending work.
    /// - Returns: ``elementCount`` values.
    /// - Throws: The first failure of the backend's pending work, or of the transfer.
    public func toArray() throws -> [Float] {
        try [Float](unsafeUninitializedCapacity: elementCount) { values, initialized in
            try backend.download(buffer, into: UnsafeMutableBufferPointer(rebasing: values[0..<elementCount]))
            initialized = elementCount
        }
    }

    /// The single element of a one-element tensor (any rank); another size stops with a
    /// precondition failure.
    /// - Throws: The first failure of the backend's pending work, or of the transfer.
    public func scalar() throws -> Float {
        precondition(elementCount == 1, "scalar() needs a one-element tensor, got \(shape)")
        return try toArray()[0]
    }

    /// The same values on `backend` (through the host); `self` if already there.
    ///
    /// The copy does not require gradients: nothing flows back to `self` through it.
    /// - Parameter backend: The destination backend.
    /// - Throws: Either backend's transfer or allocation failure.
    public func to(_ backend: any Backend) throws -> Tensor {
        backend === self.backend ? self : try Tensor(toArray(), shape: shape, on: backend)
    }
}

/// A backend buffer and the backend that owns it; freed when the last tensor using it goes.
package final class TensorStorage: Sendable {
    package let backend: any Backend
    package let buffer: any DeviceBuffer

    package init(backend: any Backend, buffer: any DeviceBuffer) {
        self.backend = backend
        self.buffer = buffer
    }
}
