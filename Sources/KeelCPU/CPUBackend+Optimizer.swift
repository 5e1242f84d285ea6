import Foundation
import KeelCore

extension CPUBackend {
    /// One fused pass of the update rule over `count` parameters (formulas in ``OptimizerUpdate``),
    /// reading `θ`, `∇` and the state once and writing `θ` and the state once, 16 lanes at a time.
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
        let width = Vector.scalarCount
        // `step(θ, g, s, u)` returns the new θ; `s` and `u` are the first and second state.
        let sweep = { (step: @Sendable (Vector, Vector, inout Vector, inout Vector) -> Vector) in
            Parallel.forEachChunk(of: count, grain: 1 << 14) { range in
                let (θ, g, s, u) = (parameter.pointer, gradient.pointer, first.pointer, second.pointer)
                for index in stride(from: range.lowerBound, to: range.upperBound, by: width) {
                    let lanes = Swift.min(width, range.upperBound - index)
                    let weights = θ.loadVector(at: index, lanes: lanes)
                    let decayed = g.loadVector(at: index, lanes: lanes) + λ * weights
                    var (stateS, stateU) = (s.loadVector(at: index, lanes: lanes), u.loadVector(at: index, lanes: lanes))
                    let updated = step(weights, decayed, &stateS, &stateU)
                    if state.count > 0 { s.storeVector(stateS, at: index, lanes: lanes) }
                    if state.count > 1 { u.storeVector(stateU, at: index, lanes: lanes) }
                    θ.storeVector(updated, at: index, lanes: lanes)
                }
            }
        }
        switch update.rule {
        case .sgd:
            sweep { θ, g, _, _ in θ - γ * g }
        case let .momentum(μ):
            sweep { θ, g, v, _ in
                v = μ * v + γ * g
                return θ - v
            }
        case let .nesterov(μ):
            sweep { θ, g, v, _ in
                let step = γ * g
                v = μ * v + step
                return θ - (μ * v + step)
            }
        case let .adaGrad(ε):
            sweep { θ, g, s, _ in
                s += g * g
                return θ - γ * g / (s.squareRoot() + ε)
            }
        case let .rmsProp(ρ, ε):
            sweep { θ, g, s, _ in
                s = ρ * s + (1 - ρ) * (g * g)
                return θ - γ * g / (s.squareRoot() + ε)
            }
        case let .adaDelta(ρ, ε):
            sweep { θ, g, s, u in
                s = ρ * s + (1 - ρ) * (g * g)
                let delta = (u + ε).squareRoot() / (s + ε).squareRoot() * g
                u = ρ * u + (1 - ρ) * (delta * delta)
                return θ - γ * delta
            }
        case let .adam(β1, β2, ε):
            let t = Double(update.step)
            let correction1 = Float(1 - pow(Double(β1), t))
            let correction2 = Float(1 - pow(Double(β2), t))
            sweep { θ, g, m, v in
                m = β1 * m + (1 - β1) * g
                v = β2 * v + (1 - β2) * (g * g)
                return θ - γ * (m / correction1) / ((v / correction2).squareRoot() + ε)
            }
        }
    }
}
