import KeelCore

/// A backend that forwards only the operations ``Backend`` requires to `inner`, so `fill`,
/// `softmax`, `cosineDistanceProduct`, `optimizerUpdate` and `randomFill` run as the protocol's
/// default composites (`Backend+Defaults.swift`) on top of `inner`'s primitives.
///
/// Running the conformance suite on it checks the defaults against the reference and shows that
/// a minimal plugin (memory, GEMM, convolution, pooling, element-wise ops, copy, reduce) conforms.
/// Buffers are `inner`'s own, so the two can share data.
public final class CompositeDefaults: Backend {
    public let inner: any Backend

    public init(wrapping inner: any Backend) { self.inner = inner }

    public var name: String { "composite(\(inner.name))" }
    public var deviceDescription: String { "protocol defaults over \(inner.deviceDescription)" }

    public func makeBuffer(count: Int) throws -> any DeviceBuffer { try inner.makeBuffer(count: count) }
    public func upload(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer) throws { try inner.upload(values, to: buffer) }
    public func download(_ buffer: any DeviceBuffer, into values: UnsafeMutableBufferPointer<Float>) throws { try inner.download(buffer, into: values) }
    public func synchronize() throws { try inner.synchronize() }
    public func copy(_ source: StridedView, to output: any DeviceBuffer, shape: Shape) throws { try inner.copy(source, to: output, shape: shape) }

    public func gemm(_ descriptor: MatrixMultiplication, a: any DeviceBuffer, b: any DeviceBuffer, c: any DeviceBuffer) throws {
        try inner.gemm(descriptor, a: a, b: b, c: c)
    }

    public func conv2d(_ descriptor: Convolution2D, input: any DeviceBuffer, filter: any DeviceBuffer, output: any DeviceBuffer) throws {
        try inner.conv2d(descriptor, input: input, filter: filter, output: output)
    }

    public func conv2dBackwardData(_ descriptor: Convolution2D, outputGradient: any DeviceBuffer, filter: any DeviceBuffer, inputGradient: any DeviceBuffer) throws {
        try inner.conv2dBackwardData(descriptor, outputGradient: outputGradient, filter: filter, inputGradient: inputGradient)
    }

    public func conv2dBackwardFilter(_ descriptor: Convolution2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, filterGradient: any DeviceBuffer) throws {
        try inner.conv2dBackwardFilter(descriptor, input: input, outputGradient: outputGradient, filterGradient: filterGradient)
    }

    public func pool2d(_ descriptor: Pooling2D, input: any DeviceBuffer, output: any DeviceBuffer) throws {
        try inner.pool2d(descriptor, input: input, output: output)
    }

    public func pool2dBackward(_ descriptor: Pooling2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, inputGradient: any DeviceBuffer) throws {
        try inner.pool2dBackward(descriptor, input: input, outputGradient: outputGradient, inputGradient: inputGradient)
    }

    public func unary(_ operation: UnaryOperation, input: any DeviceBuffer, output: any DeviceBuffer, count: Int) throws {
        try inner.unary(operation, input: input, output: output, count: count)
    }

    public func binary(_ operation: BinaryOperation, _ lhs: StridedView, _ rhs: StridedView, output: any DeviceBuffer, shape: Shape) throws {
        try inner.binary(operation, lhs, rhs, output: output, shape: shape)
    }

    public func reduce(_ operation: ReductionOperation, input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents) throws {
        try inner.reduce(operation, input: input, output: output, extents: extents)
    }
}
