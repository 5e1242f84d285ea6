import Foundation
import KeelCore

extension OpenCLBackend {
    /// One fused step of the update rule over `count` parameters (formulas in `OptimizerUpdate`):
    /// a kernel of `optim.cl` per rule reads `θ`, `∇` and the state once and writes `θ` and the state once.
    /// Adam's bias corrections are computed on the host in Double and passed in.
    /// - Parameters:
    ///   - update: The rule, learning rate, weight decay and step.
    ///   - parameter: An OpenCL buffer holding `θ`, read and written.
    ///   - gradient: An OpenCL buffer holding `∇`.
    ///   - state: Exactly `update.rule.stateCount` OpenCL buffers, read and written; a different
    ///     number stops with a precondition failure.
    ///   - count: The number of elements of each buffer.
    /// - Throws: ``OpenCLError`` when the kernel's program fails to build or load (first use only)
    ///   or the launch cannot be enqueued. Failures while the kernel runs surface at the next
    ///   ``download(_:into:)`` or ``synchronize()``.
    public func optimizerUpdate(_ update: OptimizerUpdate, parameter: any DeviceBuffer, gradient: any DeviceBuffer,
                                state: [any DeviceBuffer], count: Int) throws {
        precondition(state.count == update.rule.stateCount,
                     "OpenCLBackend.optimizerUpdate: \(update.rule) needs \(update.rule.stateCount) state buffers, got \(state.count)")
        let (parameter, gradient) = (parameter.as(OpenCLBuffer.self), gradient.as(OpenCLBuffer.self))
        let state = state.map { $0.as(OpenCLBuffer.self) }
        require(parameter, holds: count, "optimizerUpdate", "\(update), count \(count)", role: "a parameter")
        require(gradient, holds: count, "optimizerUpdate", "\(update), count \(count)", role: "a gradient")
        for buffer in state { require(buffer, holds: count, "optimizerUpdate", "\(update), count \(count)", role: "state") }
        guard count > 0 else { return }

        let (kernel, hyperParameters): (String, [Float])
        switch update.rule {
        case .sgd: (kernel, hyperParameters) = ("sgd", [])
        case let .momentum(μ): (kernel, hyperParameters) = ("momentum", [μ])
        case let .nesterov(μ): (kernel, hyperParameters) = ("nesterov", [μ])
        case let .adaGrad(ε): (kernel, hyperParameters) = ("adagrad", [ε])
        case let .rmsProp(ρ, ε): (kernel, hyperParameters) = ("rmsprop", [ρ, ε])
        case let .adaDelta(ρ, ε): (kernel, hyperParameters) = ("adadelta", [ρ, ε])
        case let .adam(β1, β2, ε):
            let t = Double(update.step)
            let corrections = [Float(1 - pow(Double(β1), t)), Float(1 - pow(Double(β2), t))]
            (kernel, hyperParameters) = ("adam", [β1, β2, ε] + corrections)
        }
        let program = try programs.program("optim")
        let items = (count + 7) / 8
        try runtime.launch(program, "optimizer_\(kernel)", global: [items], local: workGroup(for: [items]),
                           [.buffer(parameter), .buffer(gradient)] + state.map { .buffer($0) }
                               + [.int(count), .float(update.learningRate), .float(update.weightDecay)]
                               + hyperParameters.map { .float($0) })
    }
}
