import KeelCore

/// How a model is trained: epochs, batches, the optimiser and its schedule, the seed, early
/// stopping, and what to do when a step's loss is not finite.
///
/// Recorded in checkpoints so a run can be resumed or reproduced. The optimiser is stored by
/// name and hyper-parameters, so the settings encode as plain JSON.
///
/// ```swift
/// let settings = TrainingSettings(epochs: 50, batchSize: 32, optimizer: OptimizerUpdate.Rule(named: "adam")!,
///                                 learningRate: 0.1, schedule: .inverseTime(decay: 1e-3))
/// ```
public struct TrainingSettings: Hashable, Sendable, Codable {
    /// The total number of passes over the training data.
    public var epochs: Int
    /// Examples per optimiser step; the last batch of an epoch may be smaller.
    public var batchSize: Int
    /// Seeds the per-epoch shuffles and the dropout masks.
    public var seed: UInt64
    /// The optimiser's name (see `OptimizerUpdate.Rule.names`).
    public var optimizer: String
    /// The optimiser's hyper-parameters, in the order of `OptimizerUpdate.Rule.hyperParameters`.
    public var optimizerHyperParameters: [Float]
    /// The base learning rate γ₀.
    public var learningRate: Float
    /// How the learning rate changes with steps and epochs.
    public var schedule: LearningRateSchedule
    /// L2 weight decay λ, applied to weights (not biases).
    public var weightDecay: Float
    /// Stop when the validation loss stops improving (needs validation data).
    public var earlyStopping: EarlyStopping?
    /// What the trainer does when a step's loss is NaN or infinite: stop (the default) or skip the step.
    public var nonFiniteLoss: NonFiniteLossPolicy

    /// Settings; the defaults are 10 epochs of 32 examples with Adam (Keras' defaults) at a
    /// constant rate of 0.001, seed 0, no weight decay, no early stopping, and training stops
    /// at the first non-finite loss.
    ///
    /// - Parameters:
    ///   - epochs: the total number of epochs, at least 0.
    ///   - batchSize: examples per step, at least 1.
    ///   - seed: seeds the shuffles and dropout masks.
    ///   - optimizer: the update rule with its hyper-parameters, stored as ``optimizer`` and
    ///     ``optimizerHyperParameters``.
    ///   - learningRate: the base rate γ₀.
    ///   - schedule: how the rate changes.
    ///   - weightDecay: L2 weight decay λ for weights, at least 0.
    ///   - earlyStopping: a rule to stop when the validation loss stops improving, or `nil`.
    ///   - nonFiniteLoss: whether a NaN or infinite loss stops training or skips its step.
    public init(epochs: Int = 10, batchSize: Int = 32, seed: UInt64 = 0, optimizer: OptimizerUpdate.Rule = .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-7),
                learningRate: Float = 0.001, schedule: LearningRateSchedule = .constant, weightDecay: Float = 0,
                earlyStopping: EarlyStopping? = nil, nonFiniteLoss: NonFiniteLossPolicy = .stop) {
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
        self.nonFiniteLoss = nonFiniteLoss
    }

    /// Decodes settings; those recorded before ``nonFiniteLoss`` existed decode with ``NonFiniteLossPolicy/stop``.
    ///
    /// - Parameter decoder: the decoder of a checkpoint's `training.settings` JSON.
    /// - Throws: `DecodingError` when a field is missing or has the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        epochs = try container.decode(Int.self, forKey: .epochs)
        batchSize = try container.decode(Int.self, forKey: .batchSize)
        seed = try container.decode(UInt64.self, forKey: .seed)
        optimizer = try container.decode(String.self, forKey: .optimizer)
        optimizerHyperParameters = try container.decode([Float].self, forKey: .optimizerHyperParameters)
        learningRate = try container.decode(Float.self, forKey: .learningRate)
        schedule = try container.decode(LearningRateSchedule.self, forKey: .schedule)
        weightDecay = try container.decode(Float.self, forKey: .weightDecay)
        earlyStopping = try container.decodeIfPresent(EarlyStopping.self, forKey: .earlyStopping)
        nonFiniteLoss = try container.decodeIfPresent(NonFiniteLossPolicy.self, forKey: .nonFiniteLoss) ?? .stop
    }

    /// The optimiser rule these settings name, or `nil` when the name or the number of
    /// hyper-parameters does not fit (possible in hand-edited JSON).
    public var rule: OptimizerUpdate.Rule? { OptimizerUpdate.Rule(named: optimizer, hyperParameters: optimizerHyperParameters) }
}

/// What training does when a step's loss is NaN or infinite.
///
/// The trainer checks every step's loss when it reads the epoch's losses (once per epoch, so
/// checking adds no wait for the device per step), finds the first step whose loss is not
/// finite, and undoes the steps from the start of the epoch.
public enum NonFiniteLossPolicy: String, Hashable, Sendable, Codable, CaseIterable {
    /// Throw ``TrainingError/nonFiniteLoss(epoch:step:)``, leaving the model, the optimiser
    /// and the history as they were at the end of the last complete epoch.
    case stop
    /// Leave the step out — its update is not applied, and the model's states (batch-norm
    /// statistics) are as they were before it — and go on; ``EpochMetrics/skippedSteps``
    /// lists it.
    case skipStep
}
