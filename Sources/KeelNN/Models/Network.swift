import KeelCore

/// A model that is a stack of layers: MLPs, logistic regression, autoencoders, LeNet.
public final class Network: Model {
    /// The layers.
    public let layers: Sequential
    public let objective: Objective
    public let configuration: any ModelConfiguration
    public let inputShape: [Int]

    public init(_ layers: Sequential, inputShape: [Int], objective: Objective, configuration: any ModelConfiguration) {
        self.layers = layers
        self.inputShape = inputShape
        self.objective = objective
        self.configuration = configuration
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try layers.forward(input, context: context)
    }

    public var parameters: [Parameter] { layers.parameters }
    public var states: [StateTensor] { layers.states }
}
