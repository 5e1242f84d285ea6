import KeelNN

/// A model's evaluation on one part of the data, as the report shows it.
public struct EvaluationResult: Sendable {
    /// The part's name, for example `"test"`.
    public var name: String
    public var evaluation: Evaluation
    /// For regression: the targets, in the order of `evaluation.probabilities` (the predicted
    /// values), for a predicted-against-target scatter plot.
    public var targets: [Float]?

    public init(_ name: String, _ evaluation: Evaluation, targets: [Float]? = nil) {
        precondition(targets == nil || targets?.count == evaluation.probabilities.count,
                     "\(targets?.count ?? 0) targets for \(evaluation.probabilities.count) predicted values")
        self.name = name
        self.evaluation = evaluation
        self.targets = targets
    }
}
