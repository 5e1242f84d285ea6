import KeelCore

/// Max or average pooling over `N×C×H×W` batches (stride defaults to the window; average pooling
/// does not count padded positions).
public final class Pool2D: Layer {
    public let kind: Pooling2D.Kind
    public let window: (Int, Int)
    public let stride: (Int, Int)
    public let padding: (Int, Int)

    public init(_ kind: Pooling2D.Kind, window: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) {
        self.kind = kind
        self.window = window
        self.stride = stride ?? window
        self.padding = padding
    }

    /// Max pooling.
    public static func max(window: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Pool2D {
        Pool2D(.max, window: window, stride: stride, padding: padding)
    }

    /// Average pooling.
    public static func average(window: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Pool2D {
        Pool2D(.average, window: window, stride: stride, padding: padding)
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        switch kind {
        case .max: try input.maxPool2d(window: window, stride: stride, padding: padding)
        case .average: try input.averagePool2d(window: window, stride: stride, padding: padding)
        }
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
