import KeelCore

/// Max or average pooling over `N×C×H×W` batches (stride defaults to the window; average pooling
/// does not count padded positions).
///
/// An `H×W` input gives `(H + 2·padding − window) / stride + 1` rows (rounded down), and
/// likewise columns; channels are pooled separately. Max pooling passes each window's gradient
/// to its first largest element.
public final class Pool2D: Layer {
    /// Max or average (KeelCore's `Pooling2D.Kind`).
    public let kind: Pooling2D.Kind
    /// The window's `(height, width)`.
    public let window: (Int, Int)
    /// The step between windows, `(vertical, horizontal)`.
    public let stride: (Int, Int)
    /// The padding on each side, `(vertical, horizontal)`, smaller than the window; padded
    /// positions never win a max and are not counted by an average.
    public let padding: (Int, Int)

    /// A pooling layer of `kind`.
    ///
    /// - Parameters:
    ///   - kind: `.max` or `.average`.
    ///   - window: the window's `(height, width)`.
    ///   - stride: the step between windows; `nil` for the window's size (windows that do not overlap).
    ///   - padding: the padding on each side, `(vertical, horizontal)`.
    public init(_ kind: Pooling2D.Kind, window: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) {
        self.kind = kind
        self.window = window
        self.stride = stride ?? window
        self.padding = padding
    }

    /// Max pooling: each output is the largest value of its window.
    ///
    /// - Parameters:
    ///   - window: the window's `(height, width)`.
    ///   - stride: the step between windows; `nil` for the window's size.
    ///   - padding: the padding on each side, `(vertical, horizontal)`.
    public static func max(window: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Pool2D {
        Pool2D(.max, window: window, stride: stride, padding: padding)
    }

    /// Average pooling: each output is the mean of its window's unpadded elements.
    ///
    /// - Parameters:
    ///   - window: the window's `(height, width)`.
    ///   - stride: the step between windows; `nil` for the window's size.
    ///   - padding: the padding on each side, `(vertical, horizontal)`.
    public static func average(window: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Pool2D {
        Pool2D(.average, window: window, stride: stride, padding: padding)
    }

    /// Pools every channel of `input`.
    ///
    /// - Parameters:
    ///   - input: an `N×C×H×W` batch.
    ///   - context: unused; pooling behaves the same in training and inference.
    /// - Returns: the `N×C×OH×OW` output.
    /// - Throws: the backend's error when the operation fails on the device.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        switch kind {
        case .max: try input.maxPool2d(window: window, stride: stride, padding: padding)
        case .average: try input.averagePool2d(window: window, stride: stride, padding: padding)
        }
    }

    /// None: pooling has nothing to train.
    public var parameters: [Parameter] { [] }
}

/// Reshapes `N×…` to `N×(product of the rest)`, between convolutions and dense layers.
///
/// The reshape shares storage (nothing is copied); row-major order keeps each example's
/// channels, rows and columns in that order.
public final class Flatten: Layer {
    /// A flatten layer.
    public init() {}

    /// `input` reshaped to two dimensions.
    ///
    /// - Parameters:
    ///   - input: a batch of rank 1 or more, examples along axis 0.
    ///   - context: unused.
    /// - Returns: the `N×(elements per example)` view of `input`.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        input.reshaped([input.shape[0], input.elementCount / Swift.max(input.shape[0], 1)])
    }

    /// None: a reshape has nothing to train.
    public var parameters: [Parameter] { [] }
}
