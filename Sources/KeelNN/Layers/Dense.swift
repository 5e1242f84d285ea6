import KeelCore

/// A fully connected layer: `y = f(x·W + b)` for a batch `x` of shape `N×inputs`.
///
/// `W` is `inputs×outputs` and `b` has `outputs` elements.
public final class Dense: Layer {
    public let weight: Tensor
    public let bias: Tensor?
    public let activation: Activation

    /// - Parameters:
    ///   - initializer: for the weights; `nil` picks the activation's ``Activation/suggestedInitializer``.
    ///   - random: the backend and seeded stream the weights are drawn from.
    public init(_ inputs: Int, _ outputs: Int, activation: Activation = .identity, useBias: Bool = true,
                initializer: Initializer? = nil, random: InitializationStream) throws {
        precondition(inputs >= 1 && outputs >= 1, "Dense needs at least one input and one output, got \(inputs)→\(outputs)")
        self.activation = activation
        weight = try (initializer ?? activation.suggestedInitializer)
            .makeParameter([inputs, outputs], fanIn: inputs, fanOut: outputs, random: random)
        bias = useBias ? try Initializer.zeros.makeParameter([outputs], fanIn: inputs, fanOut: outputs, random: random) : nil
    }

    public var inputCount: Int { weight.shape[0] }
    public var outputCount: Int { weight.shape[1] }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        precondition(input.shape.rank == 2 && input.shape[1] == inputCount,
                     "Dense(\(inputCount)→\(outputCount)) needs an N×\(inputCount) input, got \(input.shape)")
        var output = try input.matmul(weight)
        if let bias { output = try output + bias }
        return try activation.apply(output)
    }

    public var parameters: [Parameter] {
        [Parameter(name: "weight", tensor: weight, isDecayed: true)]
            + (bias.map { [Parameter(name: "bias", tensor: $0, isDecayed: false)] } ?? [])
    }
}
