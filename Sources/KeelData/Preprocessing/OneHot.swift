/// One-hot encoding of class labels.
public enum OneHot {
    /// Row-major `labels.count × classCount` values: 1 at each label's class, 0 elsewhere.
    ///
    /// ```swift
    /// OneHot.encode([2, 0], classCount: 3)   // [0, 0, 1,  1, 0, 0]
    /// ```
    ///
    /// - Parameters:
    ///   - labels: class labels, each in `0..<classCount` (a precondition).
    ///   - classCount: the number of classes, the width of each row.
    public static func encode(_ labels: [Int], classCount: Int) -> [Float] {
        var encoded = [Float](repeating: 0, count: labels.count * classCount)
        for (row, label) in labels.enumerated() {
            precondition((0..<classCount).contains(label), "label \(label) is outside 0..<\(classCount)")
            encoded[row * classCount + label] = 1
        }
        return encoded
    }
}

extension Dataset {
    /// The targets as `count × width` rows: labels one-hot encoded, regression values as they are.
    public var targetRows: (values: [Float], width: Int) {
        switch targets {
        case let .labels(labels, classCount): (OneHot.encode(labels, classCount: classCount), classCount)
        case let .values(values, width): (values, width)
        }
    }
}
