import KeelCore

/// An element-wise (or, for softmax, row-wise) non-linearity.
public enum Activation: Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case identity
    case sigmoid
    case tanh
    case relu
    /// `x` for `x > 0`, else `0.01·x`.
    case leakyReLU
    /// `x` for `x > 0`, else `eˣ − 1`.
    case elu
    case selu
    /// Softmax over the last axis.
    case softmax

    /// Applies the activation.
    public func apply(_ x: Tensor) throws -> Tensor {
        switch self {
        case .identity: x
        case .sigmoid: try x.sigmoid()
        case .tanh: try x.tanh()
        case .relu: try x.relu()
        case .leakyReLU: try x.leakyReLU()
        case .elu: try x.elu()
        case .selu: try x.selu()
        case .softmax: try x.softmax(axis: -1)
        }
    }

    /// The name used in checkpoints and on the command line (`relu`, `leaky-relu`, …).
    public var description: String {
        switch self {
        case .identity: "identity"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .relu: "relu"
        case .leakyReLU: "leaky-relu"
        case .elu: "elu"
        case .selu: "selu"
        case .softmax: "softmax"
        }
    }

    /// The activation named `name` (see ``description``), or `nil`.
    public init?(named name: String) {
        guard let match = Activation.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
        self = match
    }

    /// The weight initialiser that suits the activation: He for the ReLU family, LeCun for
    /// SELU, Xavier otherwise.
    public var suggestedInitializer: Initializer {
        switch self {
        case .relu, .leakyReLU, .elu: .heNormal
        case .selu: .lecunNormal
        default: .xavierUniform
        }
    }
}

/// A layer that applies an ``Activation``.
public final class ActivationLayer: Layer {
    public let activation: Activation

    public init(_ activation: Activation) {
        self.activation = activation
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try activation.apply(input)
    }

    public var parameters: [Parameter] { [] }
}
