import Foundation

// The optimiser update rules, one element at a time in Double.

extension ReferenceBackend {
    /// Applies one step of `update.rule` to each of the first `count` elements, exactly as the
    /// formulas in ``OptimizerUpdate`` say, updating `parameter` and the `state` buffers in place.
    ///
    /// Each element is computed in Double, Adam's `βᵗ` included. With `λ = 0` the gradient is
    /// used as it is, so an infinite `θ` is not turned into NaN by `0·∞`.
    /// - Parameters:
    ///   - update: The rule, learning rate, weight decay and step.
    ///   - parameter: A reference buffer holding `θ`, read and written.
    ///   - gradient: A reference buffer holding `∇`.
    ///   - state: Exactly ``OptimizerUpdate/Rule/stateCount`` reference buffers, read and written.
    ///   - count: The number of elements of each buffer.
    public func optimizerUpdate(_ update: OptimizerUpdate, parameter: any DeviceBuffer, gradient: any DeviceBuffer,
                                state: [any DeviceBuffer], count: Int) throws {
        let description = "optimizerUpdate \(update) (count: \(count))"
        precondition(state.count == update.rule.stateCount, "\(description): needs \(update.rule.stateCount) state buffers, got \(state.count)")
        let parameter = checked(parameter, holds: count, "parameter", in: description)
        let gradient = checked(gradient, holds: count, "gradient", in: description)
        let state = state.enumerated().map { checked($1, holds: count, "state[\($0)]", in: description) }
        let γ = Double(update.learningRate)
        let λ = Double(update.weightDecay)
        let t = Double(update.step)
        for i in 0..<count {
            let θ = parameter[i]
            let g = λ == 0 ? gradient[i] : gradient[i] + λ * θ
            let change: Double
            switch update.rule {
            case .sgd:
                change = γ * g
            case let .momentum(momentum):
                let μ = Double(momentum)
                state[0][i] = μ * state[0][i] + γ * g
                change = state[0][i]
            case let .nesterov(momentum):
                let μ = Double(momentum)
                state[0][i] = μ * state[0][i] + γ * g
                change = μ * state[0][i] + γ * g
            case let .adaGrad(epsilon):
                let ε = Double(epsilon)
                state[0][i] += g * g
                change = γ * g / (state[0][i].squareRoot() + ε)
            case let .rmsProp(decay, epsilon):
                let (ρ, ε) = (Double(decay), Double(epsilon))
                state[0][i] = ρ * state[0][i] + (1 - ρ) * g * g
                change = γ * g / (state[0][i].squareRoot() + ε)
            case let .adaDelta(decay, epsilon):
                let (ρ, ε) = (Double(decay), Double(epsilon))
                state[0][i] = ρ * state[0][i] + (1 - ρ) * g * g
                let Δ = (state[1][i] + ε).squareRoot() / (state[0][i] + ε).squareRoot() * g
                state[1][i] = ρ * state[1][i] + (1 - ρ) * Δ * Δ
                change = γ * Δ
            case let .adam(beta1, beta2, epsilon):
                let (β1, β2, ε) = (Double(beta1), Double(beta2), Double(epsilon))
                state[0][i] = β1 * state[0][i] + (1 - β1) * g
                state[1][i] = β2 * state[1][i] + (1 - β2) * g * g
                let m̂ = state[0][i] / (1 - pow(β1, t))
                let v̂ = state[1][i] / (1 - pow(β2, t))
                change = γ * m̂ / (v̂.squareRoot() + ε)
            }
            parameter[i] = θ - change
        }
    }
}
