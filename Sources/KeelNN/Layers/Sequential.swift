import KeelCore

/// Layers applied one after another; parameters are named `index.name` (`0.weight`, `3.bias`).
///
/// ```swift
/// let random = InitializationStream(seed: 0, on: backend)
/// let network = Sequential([
///     try Dense(784, 100, activation: .relu, random: random),
///     Dropout(rate: 0.2),
///     try Dense(100, 10, random: random),
/// ])
/// // parameters: 0.weight, 0.bias, 2.weight, 2.bias
/// ```
public final class Sequential: Layer {
    /// The layers, in the order they are applied.
    public let layers: [any Layer]

    /// A stack of `layers`.
    ///
    /// - Parameter layers: the layers in the order they are applied; each one's output must fit
    ///   the next one's input.
    public init(_ layers: [any Layer]) {
        self.layers = layers
    }

    /// Passes `input` through every layer in turn, each with the same `context`.
    ///
    /// - Parameters:
    ///   - input: a batch that fits the first layer.
    ///   - context: the pass's context, shared by all layers (so random layers draw disjoint counters).
    /// - Returns: the last layer's output (`input` itself when there are no layers).
    /// - Throws: the first error a layer throws.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try layers.reduce(input) { try $1.forward($0, context: context) }
    }

    /// Every layer's parameters, in layer order, named `index.name`.
    public var parameters: [Parameter] {
        layers.enumerated().flatMap { index, layer in layer.parameters.map { $0.prefixed("\(index)") } }
    }

    /// Every layer's state tensors, in layer order, named `index.name`.
    public var states: [StateTensor] {
        layers.enumerated().flatMap { index, layer in layer.states.map { $0.prefixed("\(index)") } }
    }
}
