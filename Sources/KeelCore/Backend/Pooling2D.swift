/// 2-D max or average pooling on NCHW tensors.
///
/// Output `N×C×OH×OW` with `OH = (H + 2·padH − windowH) / strideH + 1`. Padding never wins a
/// max and is not counted in an average (the divisor is the number of in-bounds elements).
/// Max-pooling gradients go to the first largest element of each window (in row-major order
/// within the window). A NaN counts as the largest: a window holding one gives NaN, and its
/// first NaN takes the gradient.
///
/// ```swift
/// // 2×2 max pooling with stride 2 on 8 images of 16×28×28.
/// let descriptor = Pooling2D(kind: .max, batch: 8, channels: 16, inputHeight: 28, inputWidth: 28, window: (2, 2))
/// descriptor.outputShape   // [8×16×14×14]
/// ```
public struct Pooling2D: Hashable, Sendable, CustomStringConvertible {
    /// Which statistic a window produces.
    public enum Kind: Hashable, Sendable {
        /// The largest in-bounds element of the window.
        case max
        /// The mean of the window's in-bounds elements.
        case average
    }

    /// Max or average.
    public var kind: Kind
    /// Images `N`.
    public var batch: Int
    /// Channels `C`, pooled independently.
    public var channels: Int
    /// Input rows `H`.
    public var inputHeight: Int
    /// Input columns `W`.
    public var inputWidth: Int
    /// Window rows.
    public var windowHeight: Int
    /// Window columns.
    public var windowWidth: Int
    /// Rows between consecutive windows.
    public var strideHeight: Int
    /// Columns between consecutive windows.
    public var strideWidth: Int
    /// Rows of padding above and below the input (never counted).
    public var paddingHeight: Int
    /// Columns of padding left and right of the input (never counted).
    public var paddingWidth: Int

    /// Describes a pooling, stopping with a precondition failure when the window or stride is
    /// below 1, the padding is negative or not smaller than the window, or the window does not fit.
    /// - Parameters:
    ///   - kind: Max or average.
    ///   - batch: Images `N`.
    ///   - channels: Channels `C`.
    ///   - inputHeight: Input rows `H`.
    ///   - inputWidth: Input columns `W`.
    ///   - window: (rows, columns) of a window, each `≥ 1`.
    ///   - stride: (rows, columns) between windows; `nil` means the window (non-overlapping).
    ///   - padding: (rows, columns) of padding on each side, each smaller than the window.
    public init(kind: Kind, batch: Int, channels: Int, inputHeight: Int, inputWidth: Int,
                window: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) {
        let stride = stride ?? window
        precondition(window.0 >= 1 && window.1 >= 1 && stride.0 >= 1 && stride.1 >= 1,
                     "Pooling window \(window) and stride \(stride) must be ≥ 1")
        precondition(padding.0 >= 0 && padding.1 >= 0 && padding.0 < window.0 && padding.1 < window.1,
                     "Pooling padding \(padding) must be smaller than the window \(window)")
        self.kind = kind
        self.batch = batch
        self.channels = channels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        (windowHeight, windowWidth) = window
        (strideHeight, strideWidth) = stride
        (paddingHeight, paddingWidth) = padding
        precondition(outputHeight >= 1 && outputWidth >= 1,
                     "Pooling window \(window) does not fit input \(inputHeight)×\(inputWidth) with padding \(padding)")
    }

    /// Output rows `OH = (H + 2·padH − windowH) / strideH + 1`.
    public var outputHeight: Int { (inputHeight + 2 * paddingHeight - windowHeight) / strideHeight + 1 }
    /// Output columns `OW = (W + 2·padW − windowW) / strideW + 1`.
    public var outputWidth: Int { (inputWidth + 2 * paddingWidth - windowWidth) / strideWidth + 1 }

    /// `N×C×H×W`.
    public var inputShape: Shape { [batch, channels, inputHeight, inputWidth] }
    /// `N×C×OH×OW`.
    public var outputShape: Shape { [batch, channels, outputHeight, outputWidth] }

    /// A one-line summary, for example `MaxPool(input: [8×16×28×28], window: 2×2, stride: 2×2, padding: 0×0)`.
    public var description: String {
        "\(kind == .max ? "MaxPool" : "AvgPool")(input: \(inputShape), window: \(windowHeight)×\(windowWidth), stride: \(strideHeight)×\(strideWidth), padding: \(paddingHeight)×\(paddingWidth))"
    }
}
