/// One fused optimiser step for a parameter, applied by
/// ``Backend/optimizerUpdate(_:parameter:gradient:state:count:)``.
///
/// With `g = ∇ + λ·θ` (λ = ``weightDecay``; `g = ∇` when `λ = 0`, so an infinite `θ` does not
/// turn `g` into NaN through `0·∞`) and the state buffers in order:
/// - SGD: `θ −= γ·g`
/// - momentum (`v`): `v = μ·v + γ·g; θ −= v`
/// - Nesterov (`v`): `v = μ·v + γ·g; θ −= μ·v + γ·g`
/// - AdaGrad (`s`): `s += g²; θ −= γ·g / (√s + ε)`
/// - RMSProp (`s`): `s = ρ·s + (1−ρ)·g²; θ −= γ·g / (√s + ε)`
/// - AdaDelta (`s`, `u`): `s = ρ·s + (1−ρ)·g²; Δ = √(u+ε)/√(s+ε)·g; u = ρ·u + (1−ρ)·Δ²; θ −= γ·Δ`
/// - Adam (`m`, `v`): `m = β₁·m + (1−β₁)·g; v = β₂·v + (1−β₂)·g²;
///   θ −= γ·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε)` with `t` = ``step``.
///
/// NaN and infinities follow IEEE arithmetic through these formulas: a non-finite gradient or
/// parameter makes that parameter non-finite, and the state keeps it on later steps.
///
/// ```swift
/// // One Adam step on a parameter with its two state buffers (zeros before step 1).
/// let update = OptimizerUpdate(rule: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8), learningRate: 1e-3, step: 1)
/// try backend.optimizerUpdate(update, parameter: θ, gradient: g, state: [m, v], count: count)
/// ```
public struct OptimizerUpdate: Hashable, Sendable, CustomStringConvertible {
    /// The update rule and its hyper-parameters.
    public enum Rule: Hashable, Sendable {
        /// Plain gradient descent, `θ −= γ·g`; no state.
        case sgd
        /// Heavy-ball momentum with coefficient `μ` (typically 0.9); state `v`.
        case momentum(Float)
        /// Nesterov momentum with coefficient `μ`; state `v`.
        case nesterov(Float)
        /// AdaGrad: steps scaled by the root of the summed squared gradients; state `s`.
        case adaGrad(epsilon: Float)
        /// RMSProp: steps scaled by the root of a moving average (`decay` ρ) of squared gradients; state `s`.
        case rmsProp(decay: Float, epsilon: Float)
        /// AdaDelta: steps sized by the ratio of moving averages (`decay` ρ) of squared updates and
        /// squared gradients, then scaled by γ (use γ = 1 for the original method); states `s`, `u`.
        case adaDelta(decay: Float, epsilon: Float)
        /// Adam: bias-corrected moving averages of the gradient (`beta1`) and its square (`beta2`);
        /// states `m`, `v`.
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

    /// The update rule and its hyper-parameters.
    public var rule: Rule
    /// The learning rate γ.
    public var learningRate: Float
    /// L2 weight decay λ added to the gradient.
    public var weightDecay: Float
    /// The 1-based step number (Adam's bias correction).
    public var step: Int

    /// Describes one step, stopping with a precondition failure when `step < 1`.
    /// - Parameters:
    ///   - rule: The update rule and its hyper-parameters.
    ///   - learningRate: The learning rate γ.
    ///   - weightDecay: L2 weight decay λ, added to the gradient as `λ·θ` (0 for none).
    ///   - step: The 1-based step number, for Adam's bias correction (ignored by the other rules).
    public init(rule: Rule, learningRate: Float, weightDecay: Float = 0, step: Int = 1) {
        precondition(step >= 1, "Optimizer steps are numbered from 1, got \(step)")
        self.rule = rule
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.step = step
    }

    /// A one-line summary of the rule, γ, λ and the step.
    public var description: String { "OptimizerUpdate(\(rule), γ: \(learningRate), λ: \(weightDecay), t: \(step))" }
}
