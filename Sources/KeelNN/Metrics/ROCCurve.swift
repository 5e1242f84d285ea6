/// The receiver operating characteristic of binary scores: the true-positive rate against the
/// false-positive rate as the threshold falls through every distinct score.
///
/// The curve runs from `(0, 0)` (threshold `+∞`, nothing predicted positive) to `(1, 1)`, one
/// point per distinct score; tied scores make one point, so ties count half in ``area``. Sorting
/// the scores makes it `O(n log n)`.
///
/// ```swift
/// let roc = ROCCurve(scores: [0.9, 0.8, 0.3, 0.1], labels: [1, 0, 1, 0])
/// roc.area   // 0.75
/// ```
public struct ROCCurve: Hashable, Sendable, Codable {
    /// False-positive rates, from 0 to 1.
    public let falsePositiveRates: [Double]
    /// True-positive rates at the same thresholds.
    public let truePositiveRates: [Double]
    /// The score thresholds (`+∞` first): a score `≥` the threshold predicts positive.
    public let thresholds: [Double]

    /// The curve of `scores` against `labels`.
    ///
    /// Without positives the true-positive rates are all 0; without negatives the false-positive
    /// rates are.
    ///
    /// - Parameters:
    ///   - scores: higher means more likely positive (a probability or a logit).
    ///   - labels: 1 for positive examples, anything else for negative ones; as many as `scores`
    ///     (a precondition).
    public init(scores: [Float], labels: [Int]) {
        precondition(scores.count == labels.count, "\(scores.count) scores for \(labels.count) labels")
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let positives = Double(labels.filter { $0 == 1 }.count), negatives = Double(labels.count) - positives
        var fpr = [0.0], tpr = [0.0], thresholds = [Double.infinity]
        var truePositives = 0.0, falsePositives = 0.0
        for (rank, index) in order.enumerated() {
            if labels[index] == 1 { truePositives += 1 } else { falsePositives += 1 }
            // Emit a point only after the last of a run of tied scores.
            if rank + 1 == order.count || scores[order[rank + 1]] != scores[index] {
                fpr.append(negatives > 0 ? falsePositives / negatives : 0)
                tpr.append(positives > 0 ? truePositives / positives : 0)
                thresholds.append(Double(scores[index]))
            }
        }
        falsePositiveRates = fpr
        truePositiveRates = tpr
        self.thresholds = thresholds
    }

    /// The area under the curve (trapezoids; ties count half), the probability that a random
    /// positive scores above a random negative.
    public var area: Double {
        var area = 0.0
        for index in falsePositiveRates.indices.dropFirst() {
            let width = falsePositiveRates[index] - falsePositiveRates[index - 1]
            area += width * (truePositiveRates[index] + truePositiveRates[index - 1]) / 2
        }
        return area
    }
}
