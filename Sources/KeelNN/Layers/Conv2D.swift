import KeelCore

/// A 2-D convolution over `N×C×H×W` batches: `y = f(x ⋆ W + b)`.
///
/// The filter `W` is `outputs×(inputs/groups)×KH×KW`; the bias has one value per output channel.
public final class Conv2D: Layer {
    public let filter: Tensor
    public let bias: Tensor?
    public let stride: (Int, Int)
    public let padding: (Int, Int)
    public let dilation: (Int, Int)
    public let groups: Int
    public let activation: Activation

    public init(_ inputs: Int, _ outputs: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                dilation: (Int, Int) = (1, 1), groups: Int = 1, activation: Activation = .identity, useBias: Bool = true,
                initializer: Initializer? = nil, random: InitializationStream) throws {
        precondition(inputs >= 1 && outputs >= 1 && groups >= 1 && inputs % groups == 0 && outputs % groups == 0,
                     "Conv2D needs channel counts divisible by groups, got \(inputs)→\(outputs) in \(groups) groups")
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        self.activation = activation
        let area = kernel.0 * kernel.1
        filter = try (initializer ?? activation.suggestedInitializer)
            .makeParameter([outputs, inputs / groups, kernel.0, kernel.1], fanIn: inputs / groups * area,
                           fanOut: outputs / groups * area, random: random)
        bias = useBias ? try Initializer.zeros.makeParameter([outputs], fanIn: 1, fanOut: 1, random: random) : nil
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        var output = try input.conv2d(filter, stride: stride, padding: padding, dilation: dilation, groups: groups)
        if let bias { output = try output + bias.reshaped([1, bias.elementCount, 1, 1]) }
        return try activation.apply(output)
    }

    public var parameters: [Parameter] {
        [Parameter(name: "weight", tensor: filter, isDecayed: true)]
            + (bias.map { [Parameter(name: "bias", tensor: $0, isDecayed: false)] } ?? [])
    }
}
