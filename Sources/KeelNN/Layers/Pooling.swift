import KeelCore

/// Max pooling over `N×C×H×W` batches (stride defaults to the window).
public final class MaxPool2D: Layer {
    public let window: (Int, Int)
    public let stride: (Int, Int)
    public let padding: (Int, Int)

    public init(window: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) {
        self.window = window
        self.stride = stride ?? window
        self.padding = padding
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try input.maxPool2d(window: window, stride: stride, padding: padding)
    }

    public var parameters: [Parameter] { [] }
}

/// Average pooling over `N×C×H×W` batches; padded positions are not counted.
public final class AveragePool2D: Layer {
    public let window: (Int, Int)
    public let stride: (Int, Int)
    public let padding: (Int, Int)

    public init(window: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) {
        self.window = window
        self.stride = stride ?? window
        self.padding = padding
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try input.averagePool2d(window: window, stride: stride, padding: padding)
    }

    public var parameters: [Parameter] { [] }
}

/// Reshapes `N×…` to `N×(product of the rest)`.
public final class Flatten: Layer {
    public init() {}

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        input.reshaped([input.shape[0], input.elementCount / Swift.max(input.shape[0], 1)])
    }

    public var parameters: [Parameter] { [] }
}
