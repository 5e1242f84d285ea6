import KeelCore

/// A model that is a stack of layers: MLPs, logistic regression, autoencoders, LeNet.
///
/// Its parameters are the ``Sequential``'s, named `index.name` (`0.weight`, `3.bias`). Usually
/// built by ``MLPConfiguration/makeModel(seed:on:)`` or ``LeNetConfiguration/makeModel(seed:on:)``.
public final class Network: Model {
    /// The layers.
    public let layers: Sequential
    /// What the outputs mean and the loss that trains them.
    public let objective: Objective
    /// The configuration that rebuilds the network (checkpoints record it).
    public let configuration: any ModelConfiguration
    /// The shape of one example, for example `[784]` or `[1, 28, 28]`.
    public let inputShape: [Int]

    /// A model made of `layers`.
    ///
    /// - Parameters:
    ///   - layers: the stack, whose output width must be `objective.outputWidth`.
    ///   - inputShape: the shape of one example the first layer takes.
    ///   - objective: what the outputs mean and the loss.
    ///   - configuration: the configuration that builds this same stack again: checkpoints
    ///     record it and ``Checkpoint/load(from:on:)`` rebuilds the network from it.
    public init(_ layers: Sequential, inputShape: [Int], objective: Objective, configuration: any ModelConfiguration) {
        self.layers = layers
        self.inputShape = inputShape
        self.objective = objective
        self.configuration = configuration
    }

    /// Applies the layers.
    ///
    /// - Parameters:
    ///   - input: a batch of shape `N×inputShape`.
    ///   - context: passed to every layer.
    /// - Returns: the `N×outputWidth` outputs.
    /// - Throws: the first error a layer throws.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try layers.forward(input, context: context)
    }

    /// The layers' parameters, named `index.name`.
    public var parameters: [Parameter] { layers.parameters }
    /// The layers' state tensors (batch normalisation's running statistics), named `index.name`.
    public var states: [StateTensor] { layers.states }
}
