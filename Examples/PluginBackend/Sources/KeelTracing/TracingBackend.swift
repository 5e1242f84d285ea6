import KeelCore
import Synchronization

/// A backend that wraps another and counts every operation it dispatches to it.
///
/// Every ``KeelCore/Backend`` requirement is forwarded, including the six with default
/// implementations (`fill`, `softmax`, `cosineDistanceProduct`, `cosineDistanceProductBackward`,
/// `optimizerUpdate`, `randomFill`): a call reaches the wrapped backend's own kernel, fused or not, and is counted
/// once. Buffers are the wrapped backend's, so the results are bit for bit the wrapped backend's.
///
/// ```swift
/// Backends.register(CPUBackend.registration)
/// Backends.register(TracingBackend.registration)
/// let backend = try Backends.select("tracing:cpu")
/// // … train or compute on `backend` …
/// print((backend as! TracingBackend).counts.table)
/// ```
///
/// The counters are thread-safe; ``counts`` returns a `Sendable` snapshot. `Backends.select`
/// shares one instance per spec, so its counts cover everything done with that spec in the
/// process: subtract an earlier snapshot, call ``reset()``, or create a private instance with
/// ``init(wrapping:)``.
public final class TracingBackend: Backend {
    /// The backend every operation is forwarded to.
    public let inner: any Backend
    private let tallies = Mutex<[OperationKey: Tally]>([:])

    /// Counts the operations sent to `inner`, starting from zero.
    public init(wrapping inner: any Backend) {
        self.inner = inner
    }

    /// Makes `tracing:<spec>` selectable: it wraps the backend `<spec>` selects (for example
    /// `tracing:cpu`, `tracing:reference`, `tracing:opencl:1`).
    ///
    /// Priority −100, so it is never chosen when no backend is named. A missing or unusable
    /// inner spec throws ``KeelCore/KeelError/invalidBackendSpec(spec:reason:)`` (one line).
    public static let registration = BackendRegistration(
        name: "tracing", summary: "counts the operations of the backend it wraps: tracing:<spec>, for example tracing:cpu", priority: -100
    ) { argument in
        guard let argument else {
            throw KeelError.invalidBackendSpec(spec: "tracing", reason: "name the backend to wrap, for example 'tracing:cpu'")
        }
        do {
            return TracingBackend(wrapping: try Backends.select(argument))
        } catch let KeelError.unknownBackend(_, available) {
            throw KeelError.invalidBackendSpec(
                spec: "tracing:\(argument)",
                reason: "'\(argument)' is not a registered backend; wrap one of \(available.filter { $0 != "tracing" }.joined(separator: ", "))")
        } catch {
            throw KeelError.invalidBackendSpec(spec: "tracing:\(argument)", reason: "cannot create the wrapped backend: \(error)")
        }
    }

    /// `tracing:` followed by the wrapped backend's name (for example `tracing:cpu`).
    public var name: String { "tracing:\(inner.name)" }

    /// The wrapped backend's device, marked as counted.
    public var deviceDescription: String { "\(inner.deviceDescription), every operation counted" }

    /// A snapshot of the counters.
    public var counts: OperationCounts { OperationCounts(tallies.withLock { $0 }) }

    /// Sets every counter to zero.
    public func reset() {
        tallies.withLock { $0.removeAll() }
    }

    private func record(_ operation: TracedOperation, _ variant: String = "", elements: Int = 0, flops: Double = 0) {
        let tally = Tally(calls: 1, elements: elements, flops: flops)
        tallies.withLock { $0[OperationKey(operation, variant), default: Tally()] = $0[OperationKey(operation, variant), default: Tally()] + tally }
    }

    /// The case name of an enum value without its associated values (`leakyReLU`, `adam`).
    private static func caseName(_ value: some Sendable) -> String {
        String("\(value)".prefix { $0 != "(" })
    }

    // MARK: - Memory

    /// Counted (elements allocated), then forwarded.
    public func makeBuffer(count: Int) throws -> any DeviceBuffer {
        record(.makeBuffer, elements: count)
        return try inner.makeBuffer(count: count)
    }

    /// Counted (elements moved), then forwarded.
    public func upload(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer) throws {
        record(.upload, elements: values.count)
        try inner.upload(values, to: buffer)
    }

    /// Counted (elements moved), then forwarded.
    public func download(_ buffer: any DeviceBuffer, into values: UnsafeMutableBufferPointer<Float>) throws {
        record(.download, elements: values.count)
        try inner.download(buffer, into: values)
    }

    /// Counted, then forwarded.
    public func synchronize() throws {
        record(.synchronize)
        try inner.synchronize()
    }

    /// Counted, then forwarded to the wrapped backend's `fill` (its own kernel or the default).
    public func fill(_ buffer: any DeviceBuffer, value: Float, count: Int) throws {
        record(.fill, elements: count)
        try inner.fill(buffer, value: value, count: count)
    }

    /// Counted, then forwarded.
    public func copy(_ source: StridedView, to output: any DeviceBuffer, shape: Shape) throws {
        record(.copy, elements: shape.elementCount)
        try inner.copy(source, to: output, shape: shape)
    }

    // MARK: - Linear algebra

    /// Counted by transposes (`NN`, `NT`, `TN`, `TT`) with the descriptor's FLOPs, then forwarded.
    public func gemm(_ descriptor: MatrixMultiplication, a: any DeviceBuffer, b: any DeviceBuffer, c: any DeviceBuffer) throws {
        let variant = (descriptor.transposeA ? "T" : "N") + (descriptor.transposeB ? "T" : "N")
        record(.gemm, variant, elements: descriptor.m * descriptor.n * descriptor.batchCount, flops: descriptor.flops)
        try inner.gemm(descriptor, a: a, b: b, c: c)
    }

    // MARK: - Convolution and pooling

    /// Counted with the descriptor's FLOPs, then forwarded.
    public func conv2d(_ descriptor: Convolution2D, input: any DeviceBuffer, filter: any DeviceBuffer, output: any DeviceBuffer) throws {
        record(.conv2d, elements: descriptor.outputShape.elementCount, flops: descriptor.flops)
        try inner.conv2d(descriptor, input: input, filter: filter, output: output)
    }

    /// Counted with the forward pass's FLOPs (the same products), then forwarded.
    public func conv2dBackwardData(_ descriptor: Convolution2D, outputGradient: any DeviceBuffer, filter: any DeviceBuffer,
                                   inputGradient: any DeviceBuffer) throws {
        record(.conv2dBackwardData, elements: descriptor.inputShape.elementCount, flops: descriptor.flops)
        try inner.conv2dBackwardData(descriptor, outputGradient: outputGradient, filter: filter, inputGradient: inputGradient)
    }

    /// Counted with the forward pass's FLOPs (the same products), then forwarded.
    public func conv2dBackwardFilter(_ descriptor: Convolution2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer,
                                     filterGradient: any DeviceBuffer) throws {
        record(.conv2dBackwardFilter, elements: descriptor.filterShape.elementCount, flops: descriptor.flops)
        try inner.conv2dBackwardFilter(descriptor, input: input, outputGradient: outputGradient, filterGradient: filterGradient)
    }

    /// Counted by kind (`max`, `average`), then forwarded.
    public func pool2d(_ descriptor: Pooling2D, input: any DeviceBuffer, output: any DeviceBuffer) throws {
        record(.pool2d, Self.caseName(descriptor.kind), elements: descriptor.outputShape.elementCount)
        try inner.pool2d(descriptor, input: input, output: output)
    }

    /// Counted by kind (`max`, `average`), then forwarded.
    public func pool2dBackward(_ descriptor: Pooling2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer,
                               inputGradient: any DeviceBuffer) throws {
        record(.pool2dBackward, Self.caseName(descriptor.kind), elements: descriptor.inputShape.elementCount)
        try inner.pool2dBackward(descriptor, input: input, outputGradient: outputGradient, inputGradient: inputGradient)
    }

    // MARK: - Element-wise operations and reductions

    /// Counted by function (`exp`, `relu`, …), then forwarded.
    public func unary(_ operation: UnaryOperation, input: any DeviceBuffer, output: any DeviceBuffer, count: Int) throws {
        record(.unary, Self.caseName(operation), elements: count)
        try inner.unary(operation, input: input, output: output, count: count)
    }

    /// Counted by function (`add`, `multiply`, …), then forwarded.
    public func binary(_ operation: BinaryOperation, _ lhs: StridedView, _ rhs: StridedView, output: any DeviceBuffer, shape: Shape) throws {
        record(.binary, Self.caseName(operation), elements: shape.elementCount)
        try inner.binary(operation, lhs, rhs, output: output, shape: shape)
    }

    /// Counted by kind (`sum`, `max`, `argmax`; elements written, `outer·inner`), then forwarded.
    public func reduce(_ operation: ReductionOperation, input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents) throws {
        record(.reduce, Self.caseName(operation), elements: extents.outputCount)
        try inner.reduce(operation, input: input, output: output, extents: extents)
    }

    /// Counted (variant `log` for log-softmax), then forwarded to the wrapped backend's softmax.
    public func softmax(input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents, logarithmic: Bool) throws {
        record(.softmax, logarithmic ? "log" : "", elements: extents.inputCount)
        try inner.softmax(input: input, output: output, extents: extents, logarithmic: logarithmic)
    }

    // MARK: - Fused operations

    /// Counted with the descriptor's FLOPs, then forwarded to the wrapped backend's fused kernel.
    public func cosineDistanceProduct(_ descriptor: CosineDistanceProduct, input: any DeviceBuffer, anchors: any DeviceBuffer,
                                      logDistance: any DeviceBuffer, cosines: any DeviceBuffer) throws {
        record(.cosineDistanceProduct, elements: descriptor.rows * (descriptor.classes + descriptor.anchorCount), flops: descriptor.flops)
        try inner.cosineDistanceProduct(descriptor, input: input, anchors: anchors, logDistance: logDistance, cosines: cosines)
    }

    /// Counted with the elements of the gradients asked for and the FLOPs of their GEMMs, then forwarded.
    public func cosineDistanceProductBackward(_ descriptor: CosineDistanceProduct, input: any DeviceBuffer, anchors: any DeviceBuffer,
                                              cosines: any DeviceBuffer, outputGradient: any DeviceBuffer,
                                              inputGradient: (any DeviceBuffer)?, anchorGradient: (any DeviceBuffer)?) throws {
        let gradients = (inputGradient == nil ? 0 : 1) + (anchorGradient == nil ? 0 : 1)
        let elements = (inputGradient == nil ? 0 : descriptor.rows) + (anchorGradient == nil ? 0 : descriptor.anchorCount)
        record(.cosineDistanceProductBackward, elements: elements * descriptor.features, flops: Double(gradients) * descriptor.flops)
        try inner.cosineDistanceProductBackward(descriptor, input: input, anchors: anchors, cosines: cosines, outputGradient: outputGradient,
                                                inputGradient: inputGradient, anchorGradient: anchorGradient)
    }

    /// Counted by rule (`sgd`, `adam`, …; elements written, parameter and state), then forwarded.
    public func optimizerUpdate(_ update: OptimizerUpdate, parameter: any DeviceBuffer, gradient: any DeviceBuffer,
                                state: [any DeviceBuffer], count: Int) throws {
        record(.optimizerUpdate, Self.caseName(update.rule), elements: count * (1 + state.count))
        try inner.optimizerUpdate(update, parameter: parameter, gradient: gradient, state: state, count: count)
    }

    /// Counted by distribution (`uniform`, `normal`, `bernoulli`), then forwarded.
    public func randomFill(_ distribution: RandomDistribution, seed: UInt64, offset: UInt64, output: any DeviceBuffer, count: Int) throws {
        record(.randomFill, Self.caseName(distribution), elements: count)
        try inner.randomFill(distribution, seed: seed, offset: offset, output: output, count: count)
    }
}
