import Foundation
import KeelCore

extension CPUBackend {
    /// One fused pass of the update rule over `count` parameters (formulas in `OptimizerUpdate`),
    /// reading `θ`, `∇` and the state once and writing `θ` and the state once, 16 lanes at a time,
    /// on all threads. Adam's bias corrections are computed once per call in Double.
    /// - Parameters:
    ///   - update: The rule, learning rate, weight decay and step.
    ///   - parameter: A CPU buffer holding `θ`, read and written.
    ///   - gradient: A CPU buffer holding `∇`.
    ///   - state: Exactly `update.rule.stateCount` CPU buffers, read and written; a different
    ///     number stops with a precondition failure.
    ///   - count: The number of elements of each buffer.
    public func optimizerUpdate(_ update: OptimizerUpdate, parameter: any DeviceBuffer, gradient: any DeviceBuffer,
                                state: [any DeviceBuffer], count: Int) throws {
        precondition(state.count == update.rule.stateCount,
                     "CPUBackend.optimizerUpdate: \(update.rule) needs \(update.rule.stateCount) state buffers, got \(state.count)")
        let parameter = parameter.as(CPUBuffer.self)
        let gradient = gradient.as(CPUBuffer.self)
        let state = state.map { $0.as(CPUBuffer.self) }
        require(parameter, holds: count, "optimizerUpdate", "\(update), count \(count)", role: "a parameter")
        require(gradient, holds: count, "optimizerUpdate", "\(update), count \(count)", role: "a gradient")
        for buffer in state { require(buffer, holds: count, "optimizerUpdate", "\(update), count \(count)", role: "state") }
        guard count > 0 else { return }

        let (γ, λ) = (update.learningRate, update.weightDecay)
        let first = state.first ?? parameter
        let second = state.count > 1 ? state[1] : parameter
        let stateCount = state.count
        switch update.rule {
        case .sgd: sweep(SGDStep(γ: γ), λ, parameter, gradient, first, second, stateCount, count)
        case let .momentum(μ): sweep(MomentumStep(γ: γ, μ: μ), λ, parameter, gradient, first, second, stateCount, count)
        case let .nesterov(μ): sweep(NesterovStep(γ: γ, μ: μ), λ, parameter, gradient, first, second, stateCount, count)
        case let .adaGrad(ε): sweep(AdaGradStep(γ: γ, ε: ε), λ, parameter, gradient, first, second, stateCount, count)
        case let .rmsProp(ρ, ε): sweep(RMSPropStep(γ: γ, ρ: ρ, ε: ε), λ, parameter, gradient, first, second, stateCount, count)
        case let .adaDelta(ρ, ε): sweep(AdaDeltaStep(γ: γ, ρ: ρ, ε: ε), λ, parameter, gradient, first, second, stateCount, count)
        case let .adam(β1, β2, ε):
            let t = Double(update.step)
            let step = AdamStep(γ: γ, β1: β1, β2: β2, ε: ε,
                                correction1: Float(1 - pow(Double(β1), t)), correction2: Float(1 - pow(Double(β2), t)))
            sweep(step, λ, parameter, gradient, first, second, stateCount, count)
        }
    }

    /// Applies `step` to every 16 lanes of `θ`, `∇ + λ·θ` (`∇` when `λ = 0`) and the state `s`,
    /// `u` (the first `stateCount` of which are real buffers and written back), on all threads.
    private func sweep<Step: OptimizerStep>(_ step: Step, _ λ: Float, _ parameter: CPUBuffer, _ gradient: CPUBuffer,
                                            _ first: CPUBuffer, _ second: CPUBuffer, _ stateCount: Int, _ count: Int) {
        let width = Vector.scalarCount
        Parallel.forEachChunk(of: count, grain: 1 << 14) { range in
            let (θ, g, s, u) = (parameter.pointer, gradient.pointer, first.pointer, second.pointer)
            for index in stride(from: range.lowerBound, to: range.upperBound, by: width) {
                let lanes = Swift.min(width, range.upperBound - index)
                let weights = θ.loadVector(at: index, lanes: lanes)
                let gradients = g.loadVector(at: index, lanes: lanes)
                let decayed = λ == 0 ? gradients : gradients + λ * weights
                var (stateS, stateU) = (s.loadVector(at: index, lanes: lanes), u.loadVector(at: index, lanes: lanes))
                let updated = step(weights, decayed, &stateS, &stateU)
                if stateCount > 0 { s.storeVector(stateS, at: index, lanes: lanes) }
                if stateCount > 1 { u.storeVector(stateU, at: index, lanes: lanes) }
                θ.storeVector(updated, at: index, lanes: lanes)
            }
        }
    }
}

/// One optimiser rule on 16 lanes: returns the new `θ` from `θ`, the decayed gradient `g` and the
/// state `s`, `u` (updated in place). Structs, so each sweep is specialised and inlined.
private protocol OptimizerStep: Sendable {
    func callAsFunction(_ θ: Vector, _ g: Vector, _ s: inout Vector, _ u: inout Vector) -> Vector
}

private struct SGDStep: OptimizerStep {
    let γ: Float
    @inline(__always) func callAsFunction(_ θ: Vector, _ g: Vector, _ s: inout Vector, _ u: inout Vector) -> Vector { θ - γ * g }
}

private struct MomentumStep: OptimizerStep {
    let γ: Float, μ: Float
    @inline(__always) func callAsFunction(_ θ: Vector, _ g: Vector, _ v: inout Vector, _ u: inout Vector) -> Vector {
        v = μ * v + γ * g
        return θ - v
    }
}

private struct NesterovStep: OptimizerStep {
    let γ: Float, μ: Float
    @inline(__always) func callAsFunction(_ θ: Vector, _ g: Vector, _ v: inout Vector, _ u: inout Vector) -> Vector {
        let step = γ * g
        v = μ * v + step
        return θ - (μ * v + step)
    }
}

private struct AdaGradStep: OptimizerStep {
    let γ: Float, ε: Float
    @inline(__always) func callAsFunction(_ θ: Vector, _ g: Vector, _ s: inout Vector, _ u: inout Vector) -> Vector {
        s += g * g
        return θ - γ * g / (s.vectorSquareRoot() + ε)
    }
}

private struct RMSPropStep: OptimizerStep {
    let γ: Float, ρ: Float, ε: Float
    @inline(__always) func callAsFunction(_ θ: Vector, _ g: Vector, _ s: inout Vector, _ u: inout Vector) -> Vector {
        s = ρ * s + (1 - ρ) * (g * g)
        return θ - γ * g / (s.vectorSquareRoot() + ε)
    }
}

private struct AdaDeltaStep: OptimizerStep {
    let γ: Float, ρ: Float, ε: Float
    @inline(__always) func callAsFunction(_ θ: Vector, _ g: Vector, _ s: inout Vector, _ u: inout Vector) -> Vector {
        s = ρ * s + (1 - ρ) * (g * g)
        let delta = (u + ε).vectorSquareRoot() / (s + ε).vectorSquareRoot() * g
        u = ρ * u + (1 - ρ) * (delta * delta)
        return θ - γ * delta
    }
}

private struct AdamStep: OptimizerStep {
    let γ: Float, β1: Float, β2: Float, ε: Float, correction1: Float, correction2: Float
    @inline(__always) func callAsFunction(_ θ: Vector, _ g: Vector, _ m: inout Vector, _ v: inout Vector) -> Vector {
        m = β1 * m + (1 - β1) * g
        v = β2 * v + (1 - β2) * (g * g)
        return θ - γ * (m / correction1) / ((v / correction2).vectorSquareRoot() + ε)
    }
}
