import KeelCore

/// An element-wise (or, for softmax, row-wise) non-linearity.
///
/// Layers take one as their `activation:` argument (``Dense``, ``Conv2D``), or apply it as a
/// layer of its own (``ActivationLayer``). Each is differentiable on every backend; at the
/// kinks the derivative follows PyTorch (`relu'(0) = 0`). The ``description`` is the name
/// used in checkpoints and on the command line.
public enum Activation: Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// `x`, unchanged: the output of a classifier, whose objective works from logits.
    case identity
    /// `1 / (1 + e⁻ˣ)`, in (0, 1).
    case sigmoid
    /// The hyperbolic tangent, in (−1, 1).
    case tanh
    /// `max(x, 0)`.
    case relu
    /// `x` for `x > 0`, else `0.01·x`.
    case leakyReLU
    /// `x` for `x > 0`, else `eˣ − 1`.
    case elu
    /// `λ·x` for `x > 0`, else `λ·α·(eˣ − 1)`, with `λ ≈ 1.0507` and `α ≈ 1.6733` (self-normalising;
    /// pair it with ``Initializer/lecunNormal``).
    case selu
    /// Softmax over the last axis: each row becomes positive values that sum to 1.
    case softmax

    /// Applies the activation to every element of `x` (softmax: to every row of the last axis).
    ///
    /// - Parameter x: a tensor of any shape, on any backend.
    /// - Returns: a tensor of the same shape on the same backend, recorded for differentiation
    ///   when `x` requires gradients.
    /// - Throws: the backend's error when the operation fails on the device.
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

    /// The activation named `name`, or `nil` when no activation has that name.
    ///
    /// - Parameter name: a ``description`` such as `relu` or `leaky-relu`, in any letter case.
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

/// A layer that applies an ``Activation`` and has no parameters.
///
/// Most layers apply their activation themselves; this one is for a non-linearity placed
/// apart, as an MLP with batch normalisation does: `Dense` → ``BatchNorm`` → `ActivationLayer`.
public final class ActivationLayer: Layer {
    /// The non-linearity applied.
    public let activation: Activation

    /// A layer applying `activation`.
    ///
    /// - Parameter activation: the non-linearity to apply.
    public init(_ activation: Activation) {
        self.activation = activation
    }

    /// Applies ``activation`` to `input`, the same in training and inference.
    ///
    /// - Parameters:
    ///   - input: a batch of any shape.
    ///   - context: unused; the activation has no random or training-only behaviour.
    /// - Returns: a tensor of the input's shape.
    /// - Throws: the backend's error when the operation fails on the device.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try activation.apply(input)
    }

    /// None: an activation has nothing to train.
    public var parameters: [Parameter] { [] }
}
