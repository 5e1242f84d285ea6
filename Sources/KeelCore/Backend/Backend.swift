/// A compute device: memory plus the forward operations every Keel model needs.
///
/// Backends implement forward kernels only; gradients are written once, above this protocol,
/// in terms of these operations. Every operation writes into a caller-allocated output buffer
/// and may run asynchronously: results are observable after ``download(_:into:)`` or
/// ``synchronize()``, and an operation's inputs stay alive until then because the caller
/// holds them. Buffers passed to one call never alias unless a method says so. All buffers
/// hold Float32 elements in row-major order, and an operation reads and writes only the
/// leading elements it needs, so a buffer may be larger than the operation.
///
/// Shapes are validated by ``Tensor`` before a call reaches a backend; a backend may
/// `precondition` on them. Failures of the device (memory, kernel launches) are thrown.
///
/// A backend never turns a NaN into a number: NaN propagates through every operation (the
/// comparisons ``UnaryOperation/step``, ``BinaryOperation/greater`` and ``BinaryOperation/equal``
/// aside), maxima and max pooling count it as the largest value, and infinities follow IEEE
/// arithmetic through each operation's formula. The reference backend defines the exact results.
///
/// The requirements with default implementations (see `Backend+Defaults.swift`) are
/// composites of the others, so a new backend starts with the memory methods, ``gemm(_:a:b:c:)``,
/// the convolution and pooling passes, ``unary(_:input:output:count:)``,
/// ``binary(_:_:_:output:shape:)``, ``copy(_:to:shape:)`` and ``reduce(_:input:output:extents:)``,
/// then overrides the defaults with fused kernels for speed. `checkBackend(_:)` in
/// `KeelTesting` tests a backend against the reference.
///
/// ```swift
/// let backend = try Backends.select("reference")
/// let buffer = try backend.makeBuffer(count: 4)
/// try backend.fill(buffer, value: 2, count: 4)
/// try backend.unary(.square, input: buffer, output: buffer, count: 4)
/// var values = [Float](repeating: 0, count: 4)
/// try values.withUnsafeMutableBufferPointer { try backend.download(buffer, into: $0) }   // [4, 4, 4, 4]
/// ```
public protocol Backend: AnyObject, Sendable {
    /// The spec string that selects this backend instance (for example `cpu` or `opencl:1`).
    var name: String { get }
    /// A human-readable description of the device (for example the CPU model and thread count).
    var deviceDescription: String { get }

    // MARK: - Memory

    /// Allocates a buffer of `count` Float32 elements with unspecified contents.
    /// - Parameter count: The number of elements, `≥ 0`.
    /// - Returns: A buffer of this backend's own type, released when the last reference goes.
    /// - Throws: ``KeelError/outOfMemory(backend:requestedBytes:detail:)`` when the device
    ///   cannot provide the memory.
    func makeBuffer(count: Int) throws -> any DeviceBuffer
    /// Copies host values into the start of `buffer`; the host memory may be reused on return.
    /// - Parameters:
    ///   - values: The elements to copy.
    ///   - buffer: The destination, holding at least `values.count` elements.
    func upload(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer) throws
    /// Copies the first `values.count` elements of `buffer` to the host, waiting for pending work.
    /// - Parameters:
    ///   - buffer: The source, holding at least `values.count` elements.
    ///   - values: The destination; its count says how many elements to read.
    /// - Throws: The first failure of the work that was pending.
    func download(_ buffer: any DeviceBuffer, into values: UnsafeMutableBufferPointer<Float>) throws
    /// Waits until all submitted work has finished, throwing the first device failure.
    func synchronize() throws
    /// Sets the first `count` elements of `buffer` to `value`.
    /// - Parameters:
    ///   - buffer: The buffer to fill, holding at least `count` elements.
    ///   - value: The value every element gets.
    ///   - count: How many leading elements to set.
    func fill(_ buffer: any DeviceBuffer, value: Float, count: Int) throws
    /// Gathers the strided view `source` (iterated over `shape`) into contiguous `output`.
    ///
    /// Output element `i`, at row-major position `(i₀, …, iᵣ₋₁)` of `shape`, is
    /// `source.buffer[source.offset + Σ iₐ·source.strides[a]]`; a stride of 0 broadcasts.
    /// - Parameters:
    ///   - source: The view read, with one stride per axis of `shape`.
    ///   - output: The contiguous destination, holding at least `shape.elementCount` elements;
    ///     it must not be `source.buffer`.
    ///   - shape: The iteration shape.
    func copy(_ source: StridedView, to output: any DeviceBuffer, shape: Shape) throws

    // MARK: - Linear algebra

    /// `C = α·op(A)·op(B) + β·C`, batched as the descriptor says.
    /// - Parameters:
    ///   - descriptor: The sizes, transposes, scalars and batch strides (see ``MatrixMultiplication``).
    ///   - a: `A`, holding at least `descriptor.requiredCounts.a` elements.
    ///   - b: `B`, holding at least `descriptor.requiredCounts.b` elements.
    ///   - c: `C`, read when `β ≠ 0` and written; holding at least `descriptor.requiredCounts.c`.
    func gemm(_ descriptor: MatrixMultiplication, a: any DeviceBuffer, b: any DeviceBuffer, c: any DeviceBuffer) throws

    // MARK: - Convolution and pooling

    /// The forward convolution: `output = input ⋆ filter` (cross-correlation, see ``Convolution2D``).
    /// - Parameters:
    ///   - descriptor: The geometry.
    ///   - input: The `N×C×H×W` input (``Convolution2D/inputShape``).
    ///   - filter: The `O×(C/groups)×KH×KW` filter (``Convolution2D/filterShape``).
    ///   - output: The `N×O×OH×OW` result (``Convolution2D/outputShape``), overwritten.
    func conv2d(_ descriptor: Convolution2D, input: any DeviceBuffer, filter: any DeviceBuffer, output: any DeviceBuffer) throws
    /// The gradient with respect to the input (a transposed convolution of `outputGradient`).
    /// - Parameters:
    ///   - descriptor: The geometry of the forward pass.
    ///   - outputGradient: The gradient of the forward output, `N×O×OH×OW`.
    ///   - filter: The forward pass's filter, `O×(C/groups)×KH×KW`.
    ///   - inputGradient: The `N×C×H×W` result, overwritten (not accumulated into).
    func conv2dBackwardData(_ descriptor: Convolution2D, outputGradient: any DeviceBuffer, filter: any DeviceBuffer, inputGradient: any DeviceBuffer) throws
    /// The gradient with respect to the filter, summed over the batch.
    /// - Parameters:
    ///   - descriptor: The geometry of the forward pass.
    ///   - input: The forward pass's input, `N×C×H×W`.
    ///   - outputGradient: The gradient of the forward output, `N×O×OH×OW`.
    ///   - filterGradient: The `O×(C/groups)×KH×KW` result, overwritten (zeros when `N = 0`).
    func conv2dBackwardFilter(_ descriptor: Convolution2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, filterGradient: any DeviceBuffer) throws
    /// Max or average pooling (see ``Pooling2D`` for padding and ties).
    /// - Parameters:
    ///   - descriptor: The kind and geometry.
    ///   - input: The `N×C×H×W` input.
    ///   - output: The `N×C×OH×OW` result, overwritten.
    func pool2d(_ descriptor: Pooling2D, input: any DeviceBuffer, output: any DeviceBuffer) throws
    /// The gradient of pooling with respect to its input (`input` locates the maxima).
    /// - Parameters:
    ///   - descriptor: The kind and geometry of the forward pass.
    ///   - input: The forward pass's input, `N×C×H×W` (read only for max pooling).
    ///   - outputGradient: The gradient of the forward output, `N×C×OH×OW`.
    ///   - inputGradient: The `N×C×H×W` result, overwritten: a max window's gradient goes to its
    ///     first largest element, an average window's is spread over its in-bounds elements.
    func pool2dBackward(_ descriptor: Pooling2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, inputGradient: any DeviceBuffer) throws

    // MARK: - Element-wise operations and reductions

    /// `output[i] = op(input[i])` for `i < count`; `input` and `output` may be the same buffer.
    /// - Parameters:
    ///   - operation: The function (formulas in ``UnaryOperation``).
    ///   - input: The arguments, holding at least `count` elements.
    ///   - output: The results, holding at least `count` elements.
    ///   - count: The number of elements.
    func unary(_ operation: UnaryOperation, input: any DeviceBuffer, output: any DeviceBuffer, count: Int) throws
    /// `output = op(lhs, rhs)` over `shape`, each operand read through its strides (0 broadcasts).
    /// `output` may be an operand's buffer when that operand is read contiguously from offset 0.
    /// - Parameters:
    ///   - operation: The function (formulas in ``BinaryOperation``).
    ///   - lhs: The first operand, with one stride per axis of `shape`.
    ///   - rhs: The second operand, with one stride per axis of `shape`.
    ///   - output: The contiguous result, holding at least `shape.elementCount` elements.
    ///   - shape: The (broadcast) shape of the result.
    func binary(_ operation: BinaryOperation, _ lhs: StridedView, _ rhs: StridedView, output: any DeviceBuffer, shape: Shape) throws
    /// Reduces the middle extent of `input` viewed as `outer × length × inner` into `outer × inner`.
    /// - Parameters:
    ///   - operation: Sum, maximum or argmax (see ``ReductionOperation`` for empty extents).
    ///   - input: `extents.inputCount` contiguous elements.
    ///   - output: The `extents.outputCount` results, row-major `outer × inner`.
    ///   - extents: The view of `input`.
    func reduce(_ operation: ReductionOperation, input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents) throws
    /// Softmax (or log-softmax) over the middle extent of `outer × length × inner`.
    ///
    /// Each line `x` of `length` elements becomes `eˣⁱ / Σⱼ eˣʲ`, or `xᵢ − ln Σⱼ eˣʲ` when
    /// `logarithmic`, computed with the line's maximum subtracted first so large inputs do not overflow.
    /// - Parameters:
    ///   - input: `extents.inputCount` contiguous elements.
    ///   - output: The results, shaped like `input`.
    ///   - extents: The view of `input`; the softmax runs along `length`.
    ///   - logarithmic: Whether to produce log-softmax.
    func softmax(input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents, logarithmic: Bool) throws

    // MARK: - Fused operations

    /// The anchor classifier's log cosine-distance product (`m×K`) and the cosines (`m×K·P`).
    /// - Parameters:
    ///   - descriptor: The sizes and the clamp (formulas in ``CosineDistanceProduct``).
    ///   - input: The `m×n` inputs `X`.
    ///   - anchors: The `(K·P)×n` anchors `A`, class `k` owning rows `k·P ..< (k+1)·P`.
    ///   - logDistance: The `m×K` result `S`, overwritten.
    ///   - cosines: The `m×(K·P)` cosines `c`, overwritten (the backward pass needs them).
    func cosineDistanceProduct(_ descriptor: CosineDistanceProduct, input: any DeviceBuffer, anchors: any DeviceBuffer,
                               logDistance: any DeviceBuffer, cosines: any DeviceBuffer) throws
    /// The gradients of the log cosine-distance product's sum against `outputGradient`, with
    /// respect to the inputs and to the anchors (formulas in ``CosineDistanceProduct``).
    /// - Parameters:
    ///   - descriptor: The sizes and the clamp, as in the forward pass.
    ///   - input: The `m×n` inputs `X` of the forward pass.
    ///   - anchors: The `(K·P)×n` anchors `A` of the forward pass.
    ///   - cosines: The `m×(K·P)` cosines `c` the forward pass wrote.
    ///   - outputGradient: `g`, the `m×K` gradient of the loss with respect to the log distances.
    ///   - inputGradient: The `m×n` gradient with respect to `X`, overwritten; `nil` when not needed.
    ///   - anchorGradient: The `(K·P)×n` gradient with respect to `A`, overwritten; `nil` when not needed.
    func cosineDistanceProductBackward(_ descriptor: CosineDistanceProduct, input: any DeviceBuffer, anchors: any DeviceBuffer,
                                       cosines: any DeviceBuffer, outputGradient: any DeviceBuffer,
                                       inputGradient: (any DeviceBuffer)?, anchorGradient: (any DeviceBuffer)?) throws
    /// Updates `parameter` (and the rule's `state` buffers) in place from `gradient`.
    /// - Parameters:
    ///   - update: The rule, learning rate, weight decay and step (formulas in ``OptimizerUpdate``).
    ///   - parameter: The parameter `θ`, read and written.
    ///   - gradient: The gradient `∇` of the loss with respect to `θ`.
    ///   - state: Exactly ``OptimizerUpdate/Rule/stateCount`` buffers in the rule's order, each
    ///     zero before the first step and kept by the caller between steps; read and written.
    ///   - count: The number of elements of `θ`, `∇` and each state buffer.
    func optimizerUpdate(_ update: OptimizerUpdate, parameter: any DeviceBuffer, gradient: any DeviceBuffer,
                         state: [any DeviceBuffer], count: Int) throws
    /// Fills `output[i]` with the value of `distribution` at counter `offset + i` under `seed`.
    /// - Parameters:
    ///   - distribution: What to draw (formulas in ``RandomDistribution``).
    ///   - seed: The generator's key.
    ///   - offset: The counter of element 0, so consecutive fills can continue one stream.
    ///   - output: The destination, holding at least `count` elements.
    ///   - count: The number of values.
    func randomFill(_ distribution: RandomDistribution, seed: UInt64, offset: UInt64, output: any DeviceBuffer, count: Int) throws
}
