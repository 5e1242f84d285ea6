import KeelCore

/// Names and ordered hyper-parameters for KeelCore's update rules, as the command line, the
/// training settings and checkpoints use them.
extension OptimizerUpdate.Rule {
    /// Every rule's name, as accepted by ``init(named:)``.
    public static let names = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam"]

    /// The rule called `name` with the usual hyper-parameters: momentum μ = 0.9; AdaGrad ε = 1e-7;
    /// RMSProp ρ = 0.9, ε = 1e-7; AdaDelta ρ = 0.95, ε = 1e-6; Adam β₁ = 0.9, β₂ = 0.999, ε = 1e-7
    /// (Keras' defaults). `nil` for an unknown name.
    ///
    /// - Parameter name: one of ``names``, in any letter case.
    public init?(named name: String) {
        switch name.lowercased() {
        case "sgd": self = .sgd
        case "momentum": self = .momentum(0.9)
        case "nesterov": self = .nesterov(0.9)
        case "adagrad": self = .adaGrad(epsilon: 1e-7)
        case "rmsprop": self = .rmsProp(decay: 0.9, epsilon: 1e-7)
        case "adadelta": self = .adaDelta(decay: 0.95, epsilon: 1e-6)
        case "adam": self = .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-7)
        default: return nil
        }
    }

    /// The rule's name (see ``names``).
    public var name: String {
        switch self {
        case .sgd: "sgd"
        case .momentum: "momentum"
        case .nesterov: "nesterov"
        case .adaGrad: "adagrad"
        case .rmsProp: "rmsprop"
        case .adaDelta: "adadelta"
        case .adam: "adam"
        }
    }

    /// The hyper-parameters in a fixed order (for checkpoints): μ; ε; ρ, ε; ρ, ε; β₁, β₂, ε.
    public var hyperParameters: [Float] {
        switch self {
        case .sgd: []
        case let .momentum(mu), let .nesterov(mu): [mu]
        case let .adaGrad(epsilon): [epsilon]
        case let .rmsProp(decay, epsilon), let .adaDelta(decay, epsilon): [decay, epsilon]
        case let .adam(beta1, beta2, epsilon): [beta1, beta2, epsilon]
        }
    }

    /// What is out of range, or `nil` when every hyper-parameter is in range: μ, ρ, β₁ and β₂
    /// must lie in [0, 1), ε must be finite and above 0.
    var problem: String? {
        func fraction(_ name: String, _ value: Float) -> String? { (0..<1).contains(value) ? nil : "\(name) = \(value) is not in [0, 1)" }
        func epsilon(_ value: Float) -> String? { value.isFinite && value > 0 ? nil : "ε = \(value) is not a finite number above 0" }
        switch self {
        case .sgd: return nil
        case let .momentum(mu), let .nesterov(mu): return fraction("μ", mu)
        case let .adaGrad(e): return epsilon(e)
        case let .rmsProp(decay, e), let .adaDelta(decay, e): return fraction("ρ", decay) ?? epsilon(e)
        case let .adam(beta1, beta2, e): return fraction("β₁", beta1) ?? fraction("β₂", beta2) ?? epsilon(e)
        }
    }

    /// The rule `name` with explicit ``hyperParameters``; `nil` if they do not fit.
    ///
    /// The inverse of ``name`` and ``hyperParameters``, which is how checkpoints store a rule.
    ///
    /// - Parameters:
    ///   - name: one of ``names``, in any letter case.
    ///   - values: the hyper-parameters in the order of ``hyperParameters``; their count must
    ///     match the rule's (none for `sgd`).
    public init?(named name: String, hyperParameters values: [Float]) {
        guard let rule = OptimizerUpdate.Rule(named: name), rule.hyperParameters.count == values.count else { return nil }
        switch rule {
        case .sgd: self = .sgd
        case .momentum: self = .momentum(values[0])
        case .nesterov: self = .nesterov(values[0])
        case .adaGrad: self = .adaGrad(epsilon: values[0])
        case .rmsProp: self = .rmsProp(decay: values[0], epsilon: values[1])
        case .adaDelta: self = .adaDelta(decay: values[0], epsilon: values[1])
        case .adam: self = .adam(beta1: values[0], beta2: values[1], epsilon: values[2])
        }
    }
}
