import KeelCore

/// How a model is trained: epochs, batches, the optimiser and its schedule, the seed, early stopping.
///
/// Recorded in checkpoints so a run can be resumed or reproduced.
public struct TrainingSettings: Hashable, Sendable, Codable {
    public var epochs: Int
    public var batchSize: Int
    /// Seeds the per-epoch shuffles and the dropout masks.
    public var seed: UInt64
    /// The optimiser's name (see `OptimizerUpdate.Rule.names`).
    public var optimizer: String
    /// The optimiser's hyper-parameters, in the order of `OptimizerUpdate.Rule.hyperParameters`.
    public var optimizerHyperParameters: [Float]
    public var learningRate: Float
    public var schedule: LearningRateSchedule
    /// L2 weight decay λ, applied to weights (not biases).
    public var weightDecay: Float
    /// Stop when the validation loss stops improving (needs validation data).
    public var earlyStopping: EarlyStopping?

    /// - Parameter optimizer: a rule name; its hyper-parameters are the usual defaults.
    public init(epochs: Int = 10, batchSize: Int = 32, seed: UInt64 = 0, optimizer: OptimizerUpdate.Rule = .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-7),
                learningRate: Float = 0.001, schedule: LearningRateSchedule = .constant, weightDecay: Float = 0,
                earlyStopping: EarlyStopping? = nil) {
        precondition(epochs >= 0 && batchSize >= 1, "Training needs epochs ≥ 0 and a batch size ≥ 1, got \(epochs) and \(batchSize)")
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
        self.optimizer = optimizer.name
        self.optimizerHyperParameters = optimizer.hyperParameters
        self.learningRate = learningRate
        self.schedule = schedule
        self.weightDecay = weightDecay
        self.earlyStopping = earlyStopping
    }

    /// The optimiser rule these settings name.
    public var rule: OptimizerUpdate.Rule? { OptimizerUpdate.Rule(named: optimizer, hyperParameters: optimizerHyperParameters) }
}
