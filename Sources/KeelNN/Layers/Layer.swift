import KeelCore

/// A differentiable function with trainable parameters: the building block of every model.
///
/// Layers are reference types: their parameters are updated in place by an ``Optimizer`` and
/// their state (batch normalisation's running statistics) changes while training. A layer
/// lives on one backend, the one its parameters were created on.
///
/// A custom layer implements ``forward(_:context:)`` with `Tensor` operations (gradients come
/// from the operations themselves) and lists its trainable tensors in ``parameters``:
///
/// ```swift
/// final class Scale: Layer {
///     let factor: Tensor
///     init(random: InitializationStream) throws {
///         factor = try Initializer.constant(1).makeParameter([1], fanIn: 1, fanOut: 1, random: random)
///     }
///     func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor { try input * factor }
///     var parameters: [Parameter] { [Parameter(name: "factor", tensor: factor, isDecayed: false)] }
/// }
/// ```
public protocol Layer: AnyObject {
    /// Applies the layer to a batch.
    ///
    /// Called by the training loop with a training context and by ``callAsFunction(_:)`` for
    /// inference. Shapes that do not fit the layer stop with a precondition naming them.
    ///
    /// - Parameters:
    ///   - input: a batch, examples along axis 0, on the layer's backend.
    ///   - context: whether the pass trains, and the seed of its random numbers.
    /// - Returns: the layer's output for the batch.
    /// - Throws: the backend's error when an operation fails on the device.
    func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor
    /// The trainable tensors, named within the layer.
    var parameters: [Parameter] { get }
    /// The non-trainable tensors that checkpoints keep (empty for most layers).
    var states: [StateTensor] { get }
}

extension Layer {
    /// None: the default for layers without running statistics.
    public var states: [StateTensor] { [] }

    /// Applies the layer for inference: no dropout, batch statistics from the running averages,
    /// no gradient recording.
    ///
    /// - Parameter input: a batch, examples along axis 0, on the layer's backend.
    /// - Returns: the layer's output, which does not require gradients.
    /// - Throws: the backend's error when an operation fails on the device.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try withoutGradients { try forward(input, context: ForwardContext(training: false)) }
    }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.tensor.elementCount } }
}

/// What a forward pass is for: training (dropout active, batch statistics updated) or
/// inference, and where its random numbers come from.
///
/// Random layers draw disjoint counter ranges from ``nextRandomOffset(count:)``, so a pass is
/// reproducible from its seed on every backend.
public final class ForwardContext {
    /// Whether the pass trains (dropout on, batch normalisation uses and updates batch statistics).
    public let isTraining: Bool
    /// The seed for the pass's random numbers (dropout masks).
    public let seed: UInt64
    private var offset: UInt64 = 0

    /// A context for one forward pass, its random counters starting at 0.
    ///
    /// - Parameters:
    ///   - training: whether the pass trains.
    ///   - seed: the seed of the pass's random numbers; the trainer derives one per step.
    public init(training: Bool, seed: UInt64 = 0) {
        self.isTraining = training
        self.seed = seed
    }

    /// Reserves `count` counters of the Philox stream and returns the first.
    ///
    /// The context advances by `count` rounded up to a multiple of 4, so two layers of one
    /// pass never draw the same numbers.
    ///
    /// - Parameter count: how many random numbers the caller will draw.
    /// - Returns: the counter offset to draw them at, with the context's ``seed``.
    public func nextRandomOffset(count: Int) -> UInt64 {
        defer { offset += UInt64((count + 3) / 4 * 4) }
        return offset
    }
}
