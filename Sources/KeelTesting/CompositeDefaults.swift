import KeelCore

/// A backend that forwards only the operations `Backend` requires to `inner`, so `fill`,
/// `softmax`, `cosineDistanceProduct`, `optimizerUpdate` and `randomFill` run as the protocol's
/// default composites (`Backend+Defaults.swift`) on top of `inner`'s primitives.
///
/// Running the conformance suite on it checks the defaults against the reference and shows that
/// a minimal plugin (memory, GEMM, convolution, pooling, element-wise ops, copy, reduce) conforms.
/// Buffers are `inner`'s own, so the two can share data.
///
/// ```swift
/// let report = checkBackend(CompositeDefaults(wrapping: MyBackend()))
/// ```
public final class CompositeDefaults: Backend {
    /// The backend whose required operations are used.
    public let inner: any Backend

    /// A backend that runs `inner`'s required operations and the protocol's defaults for the rest.
    ///
    /// - Parameter inner: the backend to wrap; its overrides of the defaulted operations are bypassed.
    public init(wrapping inner: any Backend) { self.inner = inner }

    /// `composite(<inner's name>)`.
    public var name: String { "composite(\(inner.name))" }
    /// `protocol defaults over <inner's description>`.
    public var deviceDescription: String { "protocol defaults over \(inner.deviceDescription)" }

    /// Allocates the buffer on `inner`.
    ///
    /// - Parameter count: the number of Float32 elements.
    public func makeBuffer(count: Int) throws -> any DeviceBuffer { try inner.makeBuffer(count: count) }
    /// Forwards to `inner`'s upload.
    ///
    /// - Parameters:
    ///   - values: the host values, copied into the start of `buffer`.
    ///   - buffer: a buffer of `inner`.
    public func upload(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer) throws { try inner.upload(values, to: buffer) }
    /// Forwards to `inner`'s download.
    ///
    /// - Parameters:
    ///   - buffer: a buffer of `inner`.
    ///   - values: receives the first `values.count` elements.
    public func download(_ buffer: any DeviceBuffer, into values: UnsafeMutableBufferPointer<Float>) throws { try inner.download(buffer, into: values) }
    /// Waits for `inner`'s pending work.
    public func synchronize() throws { try inner.synchronize() }
    /// Forwards the strided gather to `inner`.
    ///
    /// - Parameters:
    ///   - source: the strided view to read.
    ///   - output: the contiguous destination.
    ///   - shape: the shape iterated over.
    public func copy(_ source: StridedView, to output: any DeviceBuffer, shape: Shape) throws { try inner.copy(source, to: output, shape: shape) }

    /// Forwards the matrix multiplication to `inner`.
    ///
    /// - Parameters:
    ///   - descriptor: sizes, transposes, α, β and batching.
    ///   - a: the left operand.
    ///   - b: the right operand.
    ///   - c: the output, scaled by β first.
    public func gemm(_ descriptor: MatrixMultiplication, a: any DeviceBuffer, b: any DeviceBuffer, c: any DeviceBuffer) throws {
        try inner.gemm(descriptor, a: a, b: b, c: c)
    }

    /// Forwards the forward convolution to `inner`.
    ///
    /// - Parameters:
    ///   - descriptor: the convolution's sizes and options.
    ///   - input: the NCHW input.
    ///   - filter: the filter.
    ///   - output: the NCHW output.
    public func conv2d(_ descriptor: Convolution2D, input: any DeviceBuffer, filter: any DeviceBuffer, output: any DeviceBuffer) throws {
        try inner.conv2d(descriptor, input: input, filter: filter, output: output)
    }

    /// Forwards the input-gradient convolution to `inner`.
    ///
    /// - Parameters:
    ///   - descriptor: the convolution's sizes and options.
    ///   - outputGradient: the gradient of the output.
    ///   - filter: the filter.
    ///   - inputGradient: receives the gradient of the input.
    public func conv2dBackwardData(_ descriptor: Convolution2D, outputGradient: any DeviceBuffer, filter: any DeviceBuffer, inputGradient: any DeviceBuffer) throws {
        try inner.conv2dBackwardData(descriptor, outputGradient: outputGradient, filter: filter, inputGradient: inputGradient)
    }

    /// Forwards the filter-gradient convolution to `inner`.
    ///
    /// - Parameters:
    ///   - descriptor: the convolution's sizes and options.
    ///   - input: the forward pass's input.
    ///   - outputGradient: the gradient of the output.
    ///   - filterGradient: receives the gradient of the filter.
    public func conv2dBackwardFilter(_ descriptor: Convolution2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, filterGradient: any DeviceBuffer) throws {
        try inner.conv2dBackwardFilter(descriptor, input: input, outputGradient: outputGradient, filterGradient: filterGradient)
    }

    /// Forwards pooling to `inner`.
    ///
    /// - Parameters:
    ///   - descriptor: the kind, window, stride and padding.
    ///   - input: the NCHW input.
    ///   - output: the NCHW output.
    public func pool2d(_ descriptor: Pooling2D, input: any DeviceBuffer, output: any DeviceBuffer) throws {
        try inner.pool2d(descriptor, input: input, output: output)
    }

    /// Forwards the pooling gradient to `inner`.
    ///
    /// - Parameters:
    ///   - descriptor: the kind, window, stride and padding.
    ///   - input: the forward pass's input (locates the maxima).
    ///   - outputGradient: the gradient of the output.
    ///   - inputGradient: receives the gradient of the input.
    public func pool2dBackward(_ descriptor: Pooling2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, inputGradient: any DeviceBuffer) throws {
        try inner.pool2dBackward(descriptor, input: input, outputGradient: outputGradient, inputGradient: inputGradient)
    }

    /// Forwards the element-wise function to `inner`.
    ///
    /// - Parameters:
    ///   - operation: the function.
    ///   - input: the operand.
    ///   - output: the result; may be `input`.
    ///   - count: the number of elements.
    public func unary(_ operation: UnaryOperation, input: any DeviceBuffer, output: any DeviceBuffer, count: Int) throws {
        try inner.unary(operation, input: input, output: output, count: count)
    }

    /// Forwards the broadcasting binary operation to `inner`.
    ///
    /// - Parameters:
    ///   - operation: the operation.
    ///   - lhs: the left operand's view.
    ///   - rhs: the right operand's view.
    ///   - output: the contiguous result.
    ///   - shape: the shape iterated over.
    public func binary(_ operation: BinaryOperation, _ lhs: StridedView, _ rhs: StridedView, output: any DeviceBuffer, shape: Shape) throws {
        try inner.binary(operation, lhs, rhs, output: output, shape: shape)
    }

    /// Forwards the reduction to `inner`.
    ///
    /// - Parameters:
    ///   - operation: sum, max or argmax.
    ///   - input: the `outer × length × inner` input.
    ///   - output: the `outer × inner` result.
    ///   - extents: the three extents.
    public func reduce(_ operation: ReductionOperation, input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents) throws {
        try inner.reduce(operation, input: input, output: output, extents: extents)
    }
}
