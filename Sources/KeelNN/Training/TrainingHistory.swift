/// What one epoch of training measured.
public struct EpochMetrics: Hashable, Sendable, Codable {
    /// 1-based.
    public var epoch: Int
    /// The mean training loss over the epoch's batches (including regularisation).
    public var trainingLoss: Float
    /// The fraction of training examples classified correctly during the epoch (`nil` for regression).
    public var trainingAccuracy: Double?
    public var validationLoss: Float?
    public var validationAccuracy: Double?
    /// The learning rate of the epoch's last step.
    public var learningRate: Float
    /// Wall-clock seconds of the training pass (validation excluded).
    public var seconds: Double
}

/// The per-epoch record of a training run.
public struct TrainingHistory: Hashable, Sendable, Codable {
    public var epochs: [EpochMetrics] = []
    /// The epoch with the best validation score when early stopping was on (its parameters are
    /// the model's if it restores them).
    public var bestEpoch: Int?
    /// Whether early stopping ended the run before the last epoch.
    public var stoppedEarly = false

    public init() {}
}
