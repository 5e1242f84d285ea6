import KeelCore

/// A differentiable function with trainable parameters: the building block of every model.
///
/// Layers are reference types: their parameters are updated in place by an ``Optimizer`` and
/// their state (batch normalisation's running statistics) changes while training. A layer
/// lives on one backend, the one its parameters were created on.
public protocol Layer: AnyObject {
    /// Applies the layer to a batch.
    func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor
    /// The trainable tensors, named within the layer.
    var parameters: [Parameter] { get }
    /// The non-trainable tensors that checkpoints keep (empty for most layers).
    var states: [StateTensor] { get }
}

extension Layer {
    public var states: [StateTensor] { [] }

    /// Applies the layer for inference: no dropout, batch statistics from the running averages,
    /// no gradient recording.
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

    public init(training: Bool, seed: UInt64 = 0) {
        self.isTraining = training
        self.seed = seed
    }

    /// Reserves `count` counters of the Philox stream and returns the first.
    public func nextRandomOffset(count: Int) -> UInt64 {
        defer { offset += UInt64((count + 3) / 4 * 4) }
        return offset
    }
}
