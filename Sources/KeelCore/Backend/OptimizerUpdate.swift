/// One fused optimiser step for a parameter, applied by
/// ``Backend/optimizerUpdate(_:parameter:gradient:state:count:)``.
///
/// With `g = ∇ + λ·θ` (λ = ``weightDecay``) and the state buffers in order:
/// - SGD: `θ −= γ·g`
/// - momentum (`v`): `v = μ·v + γ·g; θ −= v`
/// - Nesterov (`v`): `v = μ·v + γ·g; θ −= μ·v + γ·g`
/// - AdaGrad (`s`): `s += g²; θ −= γ·g / (√s + ε)`
/// - RMSProp (`s`): `s = ρ·s + (1−ρ)·g²; θ −= γ·g / (√s + ε)`
/// - AdaDelta (`s`, `u`): `s = ρ·s + (1−ρ)·g²; Δ = √(u+ε)/√(s+ε)·g; u = ρ·u + (1−ρ)·Δ²; θ −= γ·Δ`
/// - Adam (`m`, `v`): `m = β₁·m + (1−β₁)·g; v = β₂·v + (1−β₂)·g²;
///   θ −= γ·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε)` with `t` = ``step``.
public struct OptimizerUpdate: Hashable, Sendable, CustomStringConvertible {
    /// The update rule and its hyper-parameters.
    public enum Rule: Hashable, Sendable {
        case sgd
        case momentum(Float)
        case nesterov(Float)
        case adaGrad(epsilon: Float)
        case rmsProp(decay: Float, epsilon: Float)
        case adaDelta(decay: Float, epsilon: Float)
        case adam(beta1: Float, beta2: Float, epsilon: Float)

        /// How many state buffers (each the parameter's size, zero-initialised) the rule keeps.
        public var stateCount: Int {
            switch self {
            case .sgd: 0
            case .momentum, .nesterov, .adaGrad, .rmsProp: 1
            case .adaDelta, .adam: 2
            }
        }
    }

    public var rule: Rule
    /// The learning rate γ.
    public var learningRate: Float
    /// L2 weight decay λ added to the gradient.
    public var weightDecay: Float
    /// The 1-based step number (Adam's bias correction).
    public var step: Int

    public init(rule: Rule, learningRate: Float, weightDecay: Float = 0, step: Int = 1) {
        precondition(step >= 1, "Optimizer steps are numbered from 1, got \(step)")
        self.rule = rule
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.step = step
    }

    public var description: String { "OptimizerUpdate(\(rule), γ: \(learningRate), λ: \(weightDecay), t: \(step))" }
}
