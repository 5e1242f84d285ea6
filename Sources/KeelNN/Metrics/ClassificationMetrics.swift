/// The fraction of `predictions` equal to `labels`, in [0, 1]; 0 when there are none.
///
/// - Parameters:
///   - predictions: the predicted class of each example.
///   - labels: the true class of each example; as many as `predictions` (a precondition).
public func accuracy(predictions: [Int], labels: [Int]) -> Double {
    precondition(predictions.count == labels.count, "\(predictions.count) predictions for \(labels.count) labels")
    guard !labels.isEmpty else { return 0 }
    return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(labels.count)
}

/// Counts of (true class, predicted class) pairs: `counts[actual][predicted]`.
///
/// Rows are the true classes and columns the predicted ones, so the diagonal holds the correct
/// predictions, a row sums to a class's examples and a column to its predictions.
///
/// ```swift
/// let matrix = ConfusionMatrix(predictions: [0, 1, 1, 2], labels: [0, 1, 2, 2], classes: 3)
/// matrix.counts[2][1]   // 1: one example of class 2 predicted as 1
/// matrix.accuracy       // 0.75
/// ```
public struct ConfusionMatrix: Hashable, Sendable, Codable {
    /// The number of classes `K`; the matrix is `K×K`.
    public let classes: Int
    /// `counts[actual][predicted]`: how many examples of class `actual` were predicted as `predicted`.
    public private(set) var counts: [[Int]]

    /// Counts every (label, prediction) pair.
    ///
    /// - Parameters:
    ///   - predictions: the predicted class of each example, in `0..<classes` (a precondition).
    ///   - labels: the true class of each example, in `0..<classes`; as many as `predictions`.
    ///   - classes: the number of classes `K`.
    public init(predictions: [Int], labels: [Int], classes: Int) {
        precondition(predictions.count == labels.count, "\(predictions.count) predictions for \(labels.count) labels")
        self.classes = classes
        counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for (predicted, actual) in zip(predictions, labels) {
            precondition((0..<classes).contains(predicted) && (0..<classes).contains(actual), "Class indices must be in 0..<\(classes), got \(actual)→\(predicted)")
            counts[actual][predicted] += 1
        }
    }

    /// Correct predictions over all predictions (the diagonal over the total); 0 when empty.
    public var accuracy: Double {
        let total = counts.joined().reduce(0, +)
        return total == 0 ? 0 : Double((0..<classes).reduce(0) { $0 + counts[$1][$1] }) / Double(total)
    }

    /// Per class: correct predictions of the class over examples of the class (recall, the
    /// diagonal over the row sum); 0 for a class without examples.
    public var recall: [Double] {
        (0..<classes).map { k in
            let total = counts[k].reduce(0, +)
            return total == 0 ? 0 : Double(counts[k][k]) / Double(total)
        }
    }

    /// Per class: correct predictions of the class over all predictions of it (precision, the
    /// diagonal over the column sum); 0 for a class never predicted.
    public var precision: [Double] {
        (0..<classes).map { k in
            let total = (0..<classes).reduce(0) { $0 + counts[$1][k] }
            return total == 0 ? 0 : Double(counts[k][k]) / Double(total)
        }
    }
}
