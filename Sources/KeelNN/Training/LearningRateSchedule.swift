/// The learning rate as a function of the optimiser step and the epoch.
///
/// `γ₀` is the base rate of ``TrainingSettings/learningRate``; steps and epochs count from 0.
public enum LearningRateSchedule: Hashable, Sendable, Codable, CustomStringConvertible {
    /// `γ(i) = γ₀`.
    case constant
    /// `γ(i) = γ₀ / (1 + i·τ)` for step `i` (from 0), optionally ramped up linearly from 0 over the
    /// first `rampUpSteps` steps.
    case inverseTime(decay: Float, rampUpSteps: Int = 0)
    /// `γ = γ₀ · factor^⌊epoch / every⌋`.
    case stepDecay(factor: Float, everyEpochs: Int)

    /// The rate for 0-based `step` in 0-based `epoch`, given the base rate `γ₀`.
    ///
    /// - Parameters:
    ///   - base: the base rate `γ₀`.
    ///   - step: optimiser steps taken before this one, across epochs (used by ``inverseTime(decay:rampUpSteps:)``).
    ///   - epoch: completed epochs (used by ``stepDecay(factor:everyEpochs:)``; an `everyEpochs`
    ///     below 1 counts as 1).
    public func rate(base: Float, step: Int, epoch: Int) -> Float {
        switch self {
        case .constant:
            return base
        case let .inverseTime(decay, rampUpSteps):
            let decayed = base / (1 + Float(step) * decay)
            return step < rampUpSteps ? decayed * Float(step + 1) / Float(rampUpSteps) : decayed
        case let .stepDecay(factor, everyEpochs):
            var rate = base
            for _ in 0..<(epoch / Swift.max(everyEpochs, 1)) { rate *= factor }
            return rate
        }
    }

    /// What is out of range (a decay or factor that is not finite and positive, a ramp-up below 0
    /// steps, decay every fewer than 1 epoch), or `nil` when every value is in range.
    var problem: String? {
        switch self {
        case .constant:
            return nil
        case let .inverseTime(decay, rampUpSteps):
            if !(decay.isFinite && decay >= 0) { return "the decay \(decay) is not a finite number of at least 0" }
            return rampUpSteps < 0 ? "the ramp-up of \(rampUpSteps) steps is below 0" : nil
        case let .stepDecay(factor, everyEpochs):
            if !(factor.isFinite && factor > 0) { return "the factor \(factor) is not a finite number above 0" }
            return everyEpochs < 1 ? "it decays every \(everyEpochs) epochs; that must be at least 1" : nil
        }
    }

    /// A formula: `constant`, `γ₀/(1+i·0.01)`, `×0.5 every 10 epochs`.
    public var description: String {
        switch self {
        case .constant: "constant"
        case let .inverseTime(decay, rampUpSteps): "γ₀/(1+i·\(decay))" + (rampUpSteps > 0 ? " with a \(rampUpSteps)-step ramp-up" : "")
        case let .stepDecay(factor, everyEpochs): "×\(factor) every \(everyEpochs) epochs"
        }
    }
}
