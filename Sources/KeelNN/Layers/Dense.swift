import KeelCore

/// A fully connected layer: `y = f(x·W + b)` for a batch `x` of shape `N×inputs`.
///
/// `W` is `inputs×outputs` and `b` has `outputs` elements.
///
/// ```swift
/// let random = InitializationStream(seed: 0, on: backend)
/// let hidden = try Dense(784, 100, activation: .relu, random: random)
/// let output = try hidden(batch)   // N×784 → N×100
/// ```
public final class Dense: Layer {
    /// The weights `W`, `inputs×outputs`; the parameter `weight`.
    public let weight: Tensor
    /// The bias `b`, `outputs` elements initialised to 0; the parameter `bias`, or `nil` without one.
    public let bias: Tensor?
    /// The non-linearity `f` applied after the bias.
    public let activation: Activation

    /// A dense layer from `inputs` to `outputs` features with weights drawn from `random`.
    ///
    /// - Parameters:
    ///   - inputs: features per input example; at least 1.
    ///   - outputs: features per output example; at least 1.
    ///   - activation: the non-linearity after the bias.
    ///   - useBias: whether the layer adds a bias (not needed before ``BatchNorm``, which has its own shift).
    ///   - initializer: for the weights, with fan-in `inputs` and fan-out `outputs`; `nil` picks the
    ///     activation's ``Activation/suggestedInitializer``.
    ///   - random: the backend and seeded stream the weights are drawn from.
    /// - Throws: the backend's error when it cannot allocate or fill the tensors.
    public init(_ inputs: Int, _ outputs: Int, activation: Activation = .identity, useBias: Bool = true,
                initializer: Initializer? = nil, random: InitializationStream) throws {
        precondition(inputs >= 1 && outputs >= 1, "Dense needs at least one input and one output, got \(inputs)→\(outputs)")
        self.activation = activation
        weight = try (initializer ?? activation.suggestedInitializer)
            .makeParameter([inputs, outputs], fanIn: inputs, fanOut: outputs, random: random)
        bias = useBias ? try Initializer.zeros.makeParameter([outputs], fanIn: inputs, fanOut: outputs, random: random) : nil
    }

    /// Features per input example.
    public var inputCount: Int { weight.shape[0] }
    /// Features per output example.
    public var outputCount: Int { weight.shape[1] }

    /// Multiplies `input` by ``weight``, adds ``bias`` and applies ``activation``.
    ///
    /// - Parameters:
    ///   - input: an `N×inputCount` batch.
    ///   - context: unused; the layer behaves the same in training and inference.
    /// - Returns: the `N×outputCount` output.
    /// - Throws: the backend's error when an operation fails on the device.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        precondition(input.shape.rank == 2 && input.shape[1] == inputCount,
                     "Dense(\(inputCount)→\(outputCount)) needs an N×\(inputCount) input, got \(input.shape)")
        var output = try input.matmul(weight)
        if let bias { output = try output + bias }
        return try activation.apply(output)
    }

    /// `weight` (weight-decayed) and, with a bias, `bias` (not decayed).
    public var parameters: [Parameter] {
        [Parameter(name: "weight", tensor: weight, isDecayed: true)]
            + (bias.map { [Parameter(name: "bias", tensor: $0, isDecayed: false)] } ?? [])
    }
}
