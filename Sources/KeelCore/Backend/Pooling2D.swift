/// 2-D max or average pooling on NCHW tensors.
///
/// Output `N×C×OH×OW` with `OH = (H + 2·padH − windowH) / strideH + 1`. Padding never wins a
/// max and is not counted in an average (the divisor is the number of in-bounds elements).
/// Max-pooling gradients go to the first largest element of each window.
public struct Pooling2D: Hashable, Sendable, CustomStringConvertible {
    /// Which statistic a window produces.
    public enum Kind: Hashable, Sendable { case max, average }

    public var kind: Kind
    public var batch: Int
    public var channels: Int
    public var inputHeight: Int
    public var inputWidth: Int
    public var windowHeight: Int
    public var windowWidth: Int
    public var strideHeight: Int
    public var strideWidth: Int
    public var paddingHeight: Int
    public var paddingWidth: Int

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

    public var outputHeight: Int { (inputHeight + 2 * paddingHeight - windowHeight) / strideHeight + 1 }
    public var outputWidth: Int { (inputWidth + 2 * paddingWidth - windowWidth) / strideWidth + 1 }

    public var inputShape: Shape { [batch, channels, inputHeight, inputWidth] }
    public var outputShape: Shape { [batch, channels, outputHeight, outputWidth] }

    public var description: String {
        "\(kind == .max ? "MaxPool" : "AvgPool")(input: \(inputShape), window: \(windowHeight)×\(windowWidth), stride: \(strideHeight)×\(strideWidth), padding: \(paddingHeight)×\(paddingWidth))"
    }
}
