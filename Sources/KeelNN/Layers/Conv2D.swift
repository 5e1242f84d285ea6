import KeelCore

/// A 2-D convolution over `N×C×H×W` batches: `y = f(x ⋆ W + b)`.
///
/// The filter `W` is `outputs×(inputs/groups)×KH×KW`; the bias has one value per output channel.
/// An `H×W` input gives `OH×OW` outputs with `OH = (H + 2·padding − dilation·(KH − 1) − 1) / stride + 1`
/// (rounded down), and likewise for the width.
///
/// ```swift
/// let random = InitializationStream(seed: 0, on: backend)
/// let conv = try Conv2D(1, 6, kernel: (3, 3), activation: .relu, random: random)
/// let features = try conv(images)   // N×1×28×28 → N×6×26×26
/// ```
public final class Conv2D: Layer {
    /// The filter `W`, `outputs×(inputs/groups)×KH×KW`; the parameter `weight`.
    public let filter: Tensor
    /// The bias `b`, one value per output channel, initialised to 0; the parameter `bias`, or
    /// `nil` without one.
    public let bias: Tensor?
    /// The step between windows, `(vertical, horizontal)`.
    public let stride: (Int, Int)
    /// The zeros added on each side of the input, `(vertical, horizontal)`.
    public let padding: (Int, Int)
    /// The spacing between filter taps, `(vertical, horizontal)`; 1 is a dense kernel.
    public let dilation: (Int, Int)
    /// The number of channel groups: output channel `o` sees only the input channels of its group.
    public let groups: Int
    /// The non-linearity `f` applied after the bias.
    public let activation: Activation

    /// A convolution from `inputs` to `outputs` channels with weights drawn from `random`.
    ///
    /// - Parameters:
    ///   - inputs: input channels `C`; a multiple of `groups`.
    ///   - outputs: output channels `O`; a multiple of `groups`.
    ///   - kernel: the filter's `(height, width)`.
    ///   - stride: the step between windows, `(vertical, horizontal)`.
    ///   - padding: zeros added on each side, `(vertical, horizontal)`.
    ///   - dilation: the spacing between filter taps, `(vertical, horizontal)`.
    ///   - groups: the number of channel groups (`inputs` for a depthwise convolution).
    ///   - activation: the non-linearity after the bias.
    ///   - useBias: whether the layer adds a per-channel bias.
    ///   - initializer: for the filter, with fan-in `inputs/groups·KH·KW` and fan-out
    ///     `outputs/groups·KH·KW`; `nil` picks the activation's ``Activation/suggestedInitializer``.
    ///   - random: the backend and seeded stream the filter is drawn from.
    /// - Throws: the backend's error when it cannot allocate or fill the tensors.
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

    /// Convolves `input` with ``filter``, adds ``bias`` and applies ``activation``.
    ///
    /// - Parameters:
    ///   - input: an `N×C×H×W` batch whose `C` is the layer's `inputs`.
    ///   - context: unused; a convolution behaves the same in training and inference.
    /// - Returns: the `N×O×OH×OW` output.
    /// - Throws: the backend's error when an operation fails on the device.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        var output = try input.conv2d(filter, stride: stride, padding: padding, dilation: dilation, groups: groups)
        if let bias { output = try output + bias.reshaped([1, bias.elementCount, 1, 1]) }
        return try activation.apply(output)
    }

    /// `weight` (the filter, weight-decayed) and, with a bias, `bias` (not decayed).
    public var parameters: [Parameter] {
        [Parameter(name: "weight", tensor: filter, isDecayed: true)]
            + (bias.map { [Parameter(name: "bias", tensor: $0, isDecayed: false)] } ?? [])
    }
}
