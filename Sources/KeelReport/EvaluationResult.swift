import KeelNN

/// A model's evaluation on one part of the data, as the report shows it.
public struct EvaluationResult: Sendable {
    /// The part's name, for example `"test"`.
    public var name: String
    /// The model's results on the part, from KeelNN's `Trainer.evaluate(_:)`.
    public var evaluation: Evaluation
    /// For regression: the targets, in the order of `evaluation.probabilities` (the predicted
    /// values), for a predicted-against-target scatter plot.
    public var targets: [Float]?

    /// One part's results.
    ///
    /// ```swift
    /// EvaluationResult("test", try trainer.evaluate(split.test))
    /// ```
    ///
    /// - Parameters:
    ///   - name: the part's name.
    ///   - evaluation: the results on the part.
    ///   - targets: for regression, the target values in the order of `evaluation.probabilities`,
    ///     as many (a precondition); `nil` draws no scatter plot.
    public init(_ name: String, _ evaluation: Evaluation, targets: [Float]? = nil) {
        precondition(targets == nil || targets?.count == evaluation.probabilities.count,
                     "\(targets?.count ?? 0) targets for \(evaluation.probabilities.count) predicted values")
        self.name = name
        self.evaluation = evaluation
        self.targets = targets
    }
}
