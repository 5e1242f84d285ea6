/// A 2-D convolution (cross-correlation, as in PyTorch and cuDNN) on NCHW tensors.
///
/// Input `N×C×H×W`, filter `O×(C/groups)×KH×KW`, output `N×O×OH×OW` with
/// `OH = (H + 2·padH − dilationH·(KH − 1) − 1) / strideH + 1` (likewise `OW`).
/// Output channel `o` belongs to group `o / (O/groups)` and sees that group's input channels.
public struct Convolution2D: Hashable, Sendable, CustomStringConvertible {
    public var batch: Int
    public var inputChannels: Int
    public var inputHeight: Int
    public var inputWidth: Int
    public var outputChannels: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideHeight: Int
    public var strideWidth: Int
    public var paddingHeight: Int
    public var paddingWidth: Int
    public var dilationHeight: Int
    public var dilationWidth: Int
    public var groups: Int

    public init(batch: Int, inputChannels: Int, inputHeight: Int, inputWidth: Int,
                outputChannels: Int, kernelHeight: Int, kernelWidth: Int,
                stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                dilation: (Int, Int) = (1, 1), groups: Int = 1) {
        precondition(groups >= 1 && inputChannels % groups == 0 && outputChannels % groups == 0,
                     "Convolution channels \(inputChannels)→\(outputChannels) must divide into \(groups) groups")
        precondition(stride.0 >= 1 && stride.1 >= 1 && dilation.0 >= 1 && dilation.1 >= 1 && padding.0 >= 0 && padding.1 >= 0,
                     "Convolution stride \(stride) and dilation \(dilation) must be ≥ 1, padding \(padding) ≥ 0")
        precondition(kernelHeight >= 1 && kernelWidth >= 1, "Convolution kernel \(kernelHeight)×\(kernelWidth) must be at least 1×1")
        self.batch = batch
        self.inputChannels = inputChannels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputChannels = outputChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        (strideHeight, strideWidth) = stride
        (paddingHeight, paddingWidth) = padding
        (dilationHeight, dilationWidth) = dilation
        self.groups = groups
        precondition(outputHeight >= 1 && outputWidth >= 1,
                     "Convolution kernel \(kernelHeight)×\(kernelWidth) (dilation \(dilation), padding \(padding)) does not fit input \(inputHeight)×\(inputWidth)")
    }

    public var outputHeight: Int { (inputHeight + 2 * paddingHeight - dilationHeight * (kernelHeight - 1) - 1) / strideHeight + 1 }
    public var outputWidth: Int { (inputWidth + 2 * paddingWidth - dilationWidth * (kernelWidth - 1) - 1) / strideWidth + 1 }

    public var inputShape: Shape { [batch, inputChannels, inputHeight, inputWidth] }
    public var filterShape: Shape { [outputChannels, inputChannels / groups, kernelHeight, kernelWidth] }
    public var outputShape: Shape { [batch, outputChannels, outputHeight, outputWidth] }

    /// Floating-point operations of the forward pass.
    public var flops: Double {
        2 * Double(outputShape.elementCount) * Double(inputChannels / groups * kernelHeight * kernelWidth)
    }

    public var description: String {
        "Conv2D(input: \(inputShape), filter: \(filterShape), stride: \(strideHeight)×\(strideWidth), padding: \(paddingHeight)×\(paddingWidth), dilation: \(dilationHeight)×\(dilationWidth), groups: \(groups))"
    }
}
