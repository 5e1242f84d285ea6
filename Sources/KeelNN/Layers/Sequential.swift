import KeelCore

/// Layers applied one after another; parameters are named `index.name` (`0.weight`, `3.bias`).
public final class Sequential: Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) {
        self.layers = layers
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try layers.reduce(input) { try $1.forward($0, context: context) }
    }

    public var parameters: [Parameter] {
        layers.enumerated().flatMap { index, layer in layer.parameters.map { $0.prefixed("\(index)") } }
    }

    public var states: [StateTensor] {
        layers.enumerated().flatMap { index, layer in layer.states.map { $0.prefixed("\(index)") } }
    }
}
