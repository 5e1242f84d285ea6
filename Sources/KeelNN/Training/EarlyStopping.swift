/// Stops training when the validation loss stops improving, and remembers the best epoch.
///
/// Each epoch's score is the mean validation loss over the last `window` epochs (1 compares
/// single epochs; larger windows compare means, which ignores single noisy epochs). Training
/// stops after `patience` epochs without a score `minimumImprovement` below the best so far.
///
/// It needs validation data: pass `validation:` to ``Trainer/fit(_:validation:callbacks:)``.
///
/// ```swift
/// let settings = TrainingSettings(epochs: 200, earlyStopping: EarlyStopping(patience: 10))
/// ```
public struct EarlyStopping: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Epochs without improvement before training stops; at least 1.
    public var patience: Int
    /// The number of recent epochs whose validation losses are averaged into a score; at least 1.
    public var window: Int
    /// How far below the best score a new score must be to count as an improvement; at least 0.
    public var minimumImprovement: Float
    /// Whether the model ends with the parameters of the best epoch rather than the last.
    public var restoresBestParameters: Bool

    /// A rule; by default stop after 5 epochs without any improvement and keep the best epoch.
    ///
    /// The values are checked when the ``TrainingSettings`` holding the rule are (``TrainingSettings/validate()``).
    ///
    /// - Parameters:
    ///   - patience: epochs without improvement before stopping, at least 1.
    ///   - window: epochs averaged into each score, at least 1.
    ///   - minimumImprovement: the least decrease of the score that counts, finite and at least 0.
    ///   - restoresBestParameters: end with the best epoch's parameters rather than the last's.
    public init(patience: Int = 5, window: Int = 1, minimumImprovement: Float = 0, restoresBestParameters: Bool = true) {
        self.patience = patience
        self.window = window
        self.minimumImprovement = minimumImprovement
        self.restoresBestParameters = restoresBestParameters
    }

    /// `patience 5, window 1`.
    public var description: String { "patience \(patience), window \(window)" }

    /// What is out of range, or `nil` when every value is in range.
    var problem: String? {
        if patience < 1 { return "the patience \(patience) is below 1" }
        if window < 1 { return "the window \(window) is below 1" }
        if !(minimumImprovement.isFinite && minimumImprovement >= 0) { return "the minimum improvement \(minimumImprovement) is not a finite number of at least 0" }
        return nil
    }
}

/// The running state of ``EarlyStopping`` over one training run.
struct EarlyStoppingMonitor {
    let rule: EarlyStopping
    private var losses: [Float] = []
    private(set) var bestScore = Float.infinity
    private(set) var bestEpoch: Int?
    private var epochsWithoutImprovement = 0

    init(_ rule: EarlyStopping) {
        self.rule = rule
    }

    /// Records an epoch's validation loss; returns whether it is the best so far.
    mutating func record(validationLoss: Float, epoch: Int) -> Bool {
        losses.append(validationLoss)
        let recent = losses.suffix(rule.window)
        let score = recent.reduce(0, +) / Float(recent.count)
        if score < bestScore - rule.minimumImprovement {
            bestScore = score
            bestEpoch = epoch
            epochsWithoutImprovement = 0
            return true
        }
        epochsWithoutImprovement += 1
        return false
    }

    /// Whether training should stop now.
    var shouldStop: Bool { epochsWithoutImprovement >= rule.patience }
}
