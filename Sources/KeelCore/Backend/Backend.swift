/// A compute device: memory plus the forward operations every Keel model needs.
///
/// Backends implement forward kernels only; gradients are written once, above this protocol,
/// in terms of these operations. Every operation writes into a caller-allocated output buffer
/// and may run asynchronously: results are observable after ``download(_:into:)`` or
/// ``synchronize()``, and an operation's inputs stay alive until then because the caller
/// holds them. Buffers passed to one call never alias unless a method says so.
///
/// Shapes are validated by ``Tensor`` before a call reaches a backend; a backend may
/// `precondition` on them. Failures of the device (memory, kernel launches) are thrown.
///
/// The requirements with default implementations (see `Backend+Defaults.swift`) are
/// composites of the others, so a new backend starts with the memory methods, ``gemm(_:a:b:c:)``,
/// the convolution and pooling passes, ``unary(_:input:output:count:)``,
/// ``binary(_:_:_:output:shape:)``, ``copy(_:to:shape:)`` and ``reduce(_:input:output:extents:)``,
/// then overrides the defaults with fused kernels for speed. ``checkBackend`` in
/// `KeelTesting` tests a backend against the reference.
public protocol Backend: AnyObject, Sendable {
    /// The spec string that selects this backend instance (for example `cpu` or `opencl:1`).
    var name: String { get }
    /// A human-readable description of the device (for example the CPU model and thread count).
    var deviceDescription: String { get }

    // MARK: - Memory

    /// Allocates a buffer of `count` Float32 elements with unspecified contents.
    func makeBuffer(count: Int) throws -> any DeviceBuffer
    /// Copies host values into the start of `buffer`.
    func upload(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer) throws
    /// Copies the first `values.count` elements of `buffer` to the host, waiting for pending work.
    func download(_ buffer: any DeviceBuffer, into values: UnsafeMutableBufferPointer<Float>) throws
    /// Waits until all submitted work has finished, throwing the first device failure.
    func synchronize() throws
    /// Sets the first `count` elements of `buffer` to `value`.
    func fill(_ buffer: any DeviceBuffer, value: Float, count: Int) throws
    /// Gathers the strided view `source` (iterated over `shape`) into contiguous `output`.
    func copy(_ source: StridedView, to output: any DeviceBuffer, shape: Shape) throws

    // MARK: - Linear algebra

    /// `C = α·op(A)·op(B) + β·C`, batched as the descriptor says.
    func gemm(_ descriptor: MatrixMultiplication, a: any DeviceBuffer, b: any DeviceBuffer, c: any DeviceBuffer) throws

    // MARK: - Convolution and pooling

    /// The forward convolution: `output = input ⋆ filter`.
    func conv2d(_ descriptor: Convolution2D, input: any DeviceBuffer, filter: any DeviceBuffer, output: any DeviceBuffer) throws
    /// The gradient with respect to the input (a transposed convolution of `outputGradient`).
    func conv2dBackwardData(_ descriptor: Convolution2D, outputGradient: any DeviceBuffer, filter: any DeviceBuffer, inputGradient: any DeviceBuffer) throws
    /// The gradient with respect to the filter.
    func conv2dBackwardFilter(_ descriptor: Convolution2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, filterGradient: any DeviceBuffer) throws
    /// Max or average pooling.
    func pool2d(_ descriptor: Pooling2D, input: any DeviceBuffer, output: any DeviceBuffer) throws
    /// The gradient of pooling with respect to its input (`input` locates the maxima).
    func pool2dBackward(_ descriptor: Pooling2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, inputGradient: any DeviceBuffer) throws

    // MARK: - Element-wise operations and reductions

    /// `output[i] = op(input[i])` for `i < count`; `input` and `output` may be the same buffer.
    func unary(_ operation: UnaryOperation, input: any DeviceBuffer, output: any DeviceBuffer, count: Int) throws
    /// `output = op(lhs, rhs)` over `shape`, each operand read through its strides (0 broadcasts).
    /// `output` may be an operand's buffer when that operand is read contiguously from offset 0.
    func binary(_ operation: BinaryOperation, _ lhs: StridedView, _ rhs: StridedView, output: any DeviceBuffer, shape: Shape) throws
    /// Reduces the middle extent of `input` viewed as `outer × length × inner` into `outer × inner`.
    func reduce(_ operation: ReductionOperation, input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents) throws
    /// Softmax (or log-softmax) over the middle extent of `outer × length × inner`.
    func softmax(input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents, logarithmic: Bool) throws

    // MARK: - Fused operations

    /// The anchor classifier's log cosine-distance product (`m×K`) and the cosines (`m×K·P`).
    func cosineDistanceProduct(_ descriptor: CosineDistanceProduct, input: any DeviceBuffer, anchors: any DeviceBuffer,
                               logDistance: any DeviceBuffer, cosines: any DeviceBuffer) throws
    /// Updates `parameter` (and the rule's `state` buffers) in place from `gradient`.
    func optimizerUpdate(_ update: OptimizerUpdate, parameter: any DeviceBuffer, gradient: any DeviceBuffer,
                         state: [any DeviceBuffer], count: Int) throws
    /// Fills `output[i]` with the value of `distribution` at counter `offset + i` under `seed`.
    func randomFill(_ distribution: RandomDistribution, seed: UInt64, offset: UInt64, output: any DeviceBuffer, count: Int) throws
}
