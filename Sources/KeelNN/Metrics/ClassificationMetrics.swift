/// The fraction of `predictions` equal to `labels`.
public func accuracy(predictions: [Int], labels: [Int]) -> Double {
    precondition(predictions.count == labels.count, "\(predictions.count) predictions for \(labels.count) labels")
    guard !labels.isEmpty else { return 0 }
    return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(labels.count)
}

/// Counts of (true class, predicted class) pairs: `counts[actual][predicted]`.
public struct ConfusionMatrix: Hashable, Sendable, Codable {
    public let classes: Int
    public private(set) var counts: [[Int]]

    public init(predictions: [Int], labels: [Int], classes: Int) {
        precondition(predictions.count == labels.count, "\(predictions.count) predictions for \(labels.count) labels")
        self.classes = classes
        counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for (predicted, actual) in zip(predictions, labels) {
            precondition((0..<classes).contains(predicted) && (0..<classes).contains(actual), "Class indices must be in 0..<\(classes), got \(actual)→\(predicted)")
            counts[actual][predicted] += 1
        }
    }

    /// Correct predictions over all predictions.
    public var accuracy: Double {
        let total = counts.joined().reduce(0, +)
        return total == 0 ? 0 : Double((0..<classes).reduce(0) { $0 + counts[$1][$1] }) / Double(total)
    }

    /// Per class: correct predictions of the class over examples of the class (recall).
    public var recall: [Double] {
        (0..<classes).map { k in
            let total = counts[k].reduce(0, +)
            return total == 0 ? 0 : Double(counts[k][k]) / Double(total)
        }
    }

    /// Per class: correct predictions of the class over all predictions of it.
    public var precision: [Double] {
        (0..<classes).map { k in
            let total = (0..<classes).reduce(0) { $0 + counts[$1][k] }
            return total == 0 ? 0 : Double(counts[k][k]) / Double(total)
        }
    }
}
