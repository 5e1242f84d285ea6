/// A 2-D convolution (cross-correlation, as in PyTorch and cuDNN) on NCHW tensors.
///
/// Input `N×C×H×W`, filter `O×(C/groups)×KH×KW`, output `N×O×OH×OW` with
/// `OH = (H + 2·padH − dilationH·(KH − 1) − 1) / strideH + 1` (likewise `OW`).
/// Output channel `o` belongs to group `o / (O/groups)` and sees that group's input channels.
/// Padding is implicit zeros; a tap that falls in the padding contributes nothing:
///
/// `output[n,o,y,x] = Σ input[n, g·C/groups + c, y·strideH − padH + i·dilationH, x·strideW − padW + j·dilationW] · filter[o,c,i,j]`
///
/// summed over `c < C/groups`, `i < KH`, `j < KW`, with `g` the group of `o`. NaN and infinities
/// follow IEEE arithmetic through these sums. A backend may compute a padded tap as a product
/// with zero (as im2col does) instead of skipping it; the two differ only where that zero meets
/// a non-finite filter element (or, for the filter gradient, output-gradient element), which
/// then gives NaN.
///
/// ```swift
/// // 8 images of 3×32×32, 16 filters of 3×3, "same" padding.
/// let descriptor = Convolution2D(batch: 8, inputChannels: 3, inputHeight: 32, inputWidth: 32,
///                                outputChannels: 16, kernelHeight: 3, kernelWidth: 3, padding: (1, 1))
/// descriptor.outputShape   // [8×16×32×32]
/// ```
public struct Convolution2D: Hashable, Sendable, CustomStringConvertible {
    /// Images `N`.
    public var batch: Int
    /// Input channels `C`, a multiple of ``groups``.
    public var inputChannels: Int
    /// Input rows `H`.
    public var inputHeight: Int
    /// Input columns `W`.
    public var inputWidth: Int
    /// Output channels `O` (filters), a multiple of ``groups``.
    public var outputChannels: Int
    /// Filter rows `KH`.
    public var kernelHeight: Int
    /// Filter columns `KW`.
    public var kernelWidth: Int
    /// Rows between consecutive output positions, in input rows.
    public var strideHeight: Int
    /// Columns between consecutive output positions, in input columns.
    public var strideWidth: Int
    /// Implicit zero rows above and below the input.
    public var paddingHeight: Int
    /// Implicit zero columns left and right of the input.
    public var paddingWidth: Int
    /// Input rows between consecutive filter rows (1 is a dense filter).
    public var dilationHeight: Int
    /// Input columns between consecutive filter columns (1 is a dense filter).
    public var dilationWidth: Int
    /// Channel groups: each sees `C/groups` input channels and produces `O/groups` outputs
    /// (`groups == C` is a depthwise convolution).
    public var groups: Int

    /// Describes a convolution, stopping with a precondition failure when the channels do not
    /// divide into `groups`, a stride or dilation is below 1, padding is negative, or the
    /// (dilated) kernel does not fit the padded input.
    /// - Parameters:
    ///   - batch: Images `N`.
    ///   - inputChannels: Input channels `C`.
    ///   - inputHeight: Input rows `H`.
    ///   - inputWidth: Input columns `W`.
    ///   - outputChannels: Output channels `O`.
    ///   - kernelHeight: Filter rows `KH`, `≥ 1`.
    ///   - kernelWidth: Filter columns `KW`, `≥ 1`.
    ///   - stride: (rows, columns) between output positions, each `≥ 1`.
    ///   - padding: (rows, columns) of implicit zeros on each side, each `≥ 0`.
    ///   - dilation: (rows, columns) between filter taps, each `≥ 1`.
    ///   - groups: Channel groups, dividing both `C` and `O`.
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

    /// Output rows `OH = (H + 2·padH − dilationH·(KH − 1) − 1) / strideH + 1`.
    public var outputHeight: Int { (inputHeight + 2 * paddingHeight - dilationHeight * (kernelHeight - 1) - 1) / strideHeight + 1 }
    /// Output columns `OW = (W + 2·padW − dilationW·(KW − 1) − 1) / strideW + 1`.
    public var outputWidth: Int { (inputWidth + 2 * paddingWidth - dilationWidth * (kernelWidth - 1) - 1) / strideWidth + 1 }

    /// `N×C×H×W`.
    public var inputShape: Shape { [batch, inputChannels, inputHeight, inputWidth] }
    /// `O×(C/groups)×KH×KW`.
    public var filterShape: Shape { [outputChannels, inputChannels / groups, kernelHeight, kernelWidth] }
    /// `N×O×OH×OW`.
    public var outputShape: Shape { [batch, outputChannels, outputHeight, outputWidth] }

    /// Floating-point operations of the forward pass: `2·N·O·OH·OW·(C/groups)·KH·KW`.
    public var flops: Double {
        2 * Double(outputShape.elementCount) * Double(inputChannels / groups * kernelHeight * kernelWidth)
    }

    /// A one-line summary of the shapes, stride, padding, dilation and groups.
    public var description: String {
        "Conv2D(input: \(inputShape), filter: \(filterShape), stride: \(strideHeight)×\(strideWidth), padding: \(paddingHeight)×\(paddingWidth), dilation: \(dilationHeight)×\(dilationWidth), groups: \(groups))"
    }
}
