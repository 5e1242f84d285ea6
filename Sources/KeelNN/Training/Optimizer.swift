import KeelCore

/// Applies one of the fused update rules to a model's parameters, keeping each parameter's
/// state (momentum, moment estimates) on the parameters' backend.
///
/// Each parameter is updated by one call to the backend's fused `optimizerUpdate` kernel (the
/// formulas are in KeelCore's `OptimizerUpdate`); nothing goes through the host. The
/// ``Trainer`` owns one; use one directly for a training loop of your own:
///
/// ```swift
/// let optimizer = Optimizer(OptimizerUpdate.Rule(named: "adam")!, learningRate: 0.001)
/// let parameters = model.parameters
/// let (loss, _) = try model.loss(features, targets: targets, context: ForwardContext(training: true, seed: 1))
/// try optimizer.step(parameters, gradients: loss.gradients(of: parameters.map(\.tensor)))
/// ```
public final class Optimizer {
    /// The update rule and its hyper-parameters.
    public let rule: OptimizerUpdate.Rule
    /// The base learning rate γ₀.
    public let learningRate: Float
    /// How γ changes with the step and the epoch.
    public let schedule: LearningRateSchedule
    /// L2 weight decay λ (the loss gains `λ/2·‖θ‖²`, so `λ·θ` is added to the gradient), applied to
    /// parameters marked ``Parameter/isDecayed``.
    public let weightDecay: Float
    /// Steps taken so far.
    public private(set) var stepCount = 0
    /// The epoch the schedule sees; the training loop sets it.
    public var epoch = 0
    /// Each parameter's state buffers, by parameter name, created as zeros at its first step
    /// (`OptimizerUpdate.Rule.stateCount` of them; none for SGD).
    public private(set) var state: [String: [Tensor]] = [:]

    /// An optimiser that has taken no steps.
    ///
    /// - Parameters:
    ///   - rule: the update rule with its hyper-parameters; `OptimizerUpdate.Rule(named:)` gives
    ///     Keras' defaults.
    ///   - learningRate: the base rate γ₀, greater than 0.
    ///   - schedule: how the rate changes with steps and epochs.
    ///   - weightDecay: L2 weight decay λ, at least 0.
    public init(_ rule: OptimizerUpdate.Rule, learningRate: Float, schedule: LearningRateSchedule = .constant, weightDecay: Float = 0) {
        precondition(learningRate > 0 && weightDecay >= 0, "An optimiser needs γ > 0 and λ ≥ 0, got γ=\(learningRate) λ=\(weightDecay)")
        self.rule = rule
        self.learningRate = learningRate
        self.schedule = schedule
        self.weightDecay = weightDecay
    }

    /// The learning rate the next step will use.
    public var currentLearningRate: Float { schedule.rate(base: learningRate, step: stepCount, epoch: epoch) }

    /// Updates every parameter in place from its gradient (same order as `parameters`).
    ///
    /// All parameters use the learning rate of ``currentLearningRate``; then ``stepCount`` goes
    /// up by one. State is kept by parameter name, so the same names must mean the same tensors
    /// from step to step.
    ///
    /// - Parameters:
    ///   - parameters: the parameters to update, each a leaf tensor updated in its storage.
    ///   - gradients: one gradient per parameter, of the parameter's shape (a precondition).
    /// - Throws: the backend's error when it cannot allocate state or the update fails.
    public func step(_ parameters: [Parameter], gradients: [Tensor]) throws {
        precondition(parameters.count == gradients.count, "\(parameters.count) parameters but \(gradients.count) gradients")
        let rate = currentLearningRate
        stepCount += 1
        for (parameter, gradient) in zip(parameters, gradients) {
            precondition(parameter.tensor.shape == gradient.shape, "Parameter '\(parameter.name)' is \(parameter.tensor.shape), its gradient \(gradient.shape)")
            let buffers = try stateBuffers(for: parameter)
            let update = OptimizerUpdate(rule: rule, learningRate: rate, weightDecay: parameter.isDecayed ? weightDecay : 0, step: stepCount)
            try parameter.tensor.backend.optimizerUpdate(update, parameter: parameter.tensor.buffer, gradient: gradient.buffer,
                                                         state: buffers.map(\.buffer), count: parameter.tensor.elementCount)
        }
    }

    private func stateBuffers(for parameter: Parameter) throws -> [Tensor] {
        if let existing = state[parameter.name] { return existing }
        let created = try (0..<rule.stateCount).map { _ in try Tensor.zeros(parameter.tensor.shape, on: parameter.tensor.backend) }
        state[parameter.name] = created
        return created
    }

    /// Restores state saved from another optimiser of the same rule (a resumed checkpoint).
    ///
    /// - Parameters:
    ///   - stepCount: the steps the other optimiser had taken (Adam's bias correction and the
    ///     schedule continue from there).
    ///   - state: its state buffers by parameter name, `OptimizerUpdate.Rule.stateCount` per
    ///     parameter (a precondition), on the parameters' backend.
    public func restore(stepCount: Int, state: [String: [Tensor]]) {
        precondition(state.values.allSatisfy { $0.count == rule.stateCount }, "Optimizer state does not match \(rule)")
        self.stepCount = stepCount
        self.state = state
    }
}
