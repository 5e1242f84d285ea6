/// What one epoch of training measured.
public struct EpochMetrics: Hashable, Sendable, Codable {
    /// The epoch, 1-based.
    public var epoch: Int
    /// The mean training loss over the epoch's batches (including regularisation), skipped steps left out.
    public var trainingLoss: Float
    /// The fraction of training examples classified correctly during the epoch (`nil` for
    /// regression), skipped steps left out.
    public var trainingAccuracy: Double?
    /// The mean validation loss without regularisation (`nil` without validation data).
    public var validationLoss: Float?
    /// The fraction of validation examples classified correctly (`nil` without validation data,
    /// or for regression).
    public var validationAccuracy: Double?
    /// The learning rate of the epoch's last step.
    public var learningRate: Float
    /// Wall-clock seconds of the training pass (validation excluded).
    public var seconds: Double
    /// The steps (batches, 1-based) left out because their loss was not finite, with
    /// ``NonFiniteLossPolicy/skipStep``; `nil` when none was.
    public var skippedSteps: [Int]?
}

/// The per-epoch record of a training run.
///
/// Checkpoints store it as JSON, so a resumed run continues the same record.
public struct TrainingHistory: Hashable, Sendable, Codable {
    /// One entry per completed epoch, in order.
    public var epochs: [EpochMetrics] = []
    /// The epoch with the best validation score when early stopping was on (its parameters are
    /// the model's if it restores them).
    public var bestEpoch: Int?
    /// Whether early stopping ended the run before the last epoch.
    public var stoppedEarly = false

    /// An empty history.
    public init() {}
}
