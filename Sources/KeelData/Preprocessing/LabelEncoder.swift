/// Class labels as values: the distinct labels of the data, in ascending order, become the
/// classes 0, 1, 2, … (as scikit-learn's `LabelEncoder` does).
///
/// Labels 0…8 and 250 make ten classes, not 251; labels 1, 2, 3 make three, with no empty
/// class 0. Keep ``classLabels`` with a model to map its classes back to the labels.
///
/// ```swift
/// let encoder = LabelEncoder(fitting: [3, 1, 250, 1])   // classLabels [1, 3, 250]
/// encoder.encode(250)                                   // 2
/// ```
public struct LabelEncoder: Sendable, Equatable {
    /// The labels in class order: class `i` is `classLabels[i]`.
    public let classLabels: [Int]
    private let classes: [Int: Int]

    /// The classes of the distinct `labels`, in ascending order.
    /// - Parameter labels: the labels of the data, in any order, with repeats.
    public init(fitting labels: [Int]) {
        self.init(classLabels: Set(labels).sorted())
    }

    /// The classes a model was trained on.
    /// - Parameter classLabels: distinct labels in class order (a precondition).
    public init(classLabels: [Int]) {
        classes = Dictionary(classLabels.enumerated().map { ($1, $0) }) { first, _ in
            preconditionFailure("class labels \(classLabels) repeat \(classLabels[first])")
        }
        self.classLabels = classLabels
    }

    /// The class of `label`, or nil when it is none of the classes.
    /// - Parameter label: a label as the data writes it.
    public func encode(_ label: Int) -> Int? {
        classes[label]
    }
}

extension Dataset {
    /// A classification data set whose classes are the distinct `labels`, in ascending order.
    init(name: String, features: [Float], featureShape: [Int], labels: [Int]) {
        let encoder = LabelEncoder(fitting: labels)
        self.init(name: name, features: features, featureShape: featureShape,
                  targets: .labels(labels.map { encoder.encode($0)! }, classCount: encoder.classLabels.count),
                  classLabels: encoder.classLabels)
    }

    /// The same examples with their classes renumbered so that class `i` is `classLabels[i]`:
    /// data prepared for a model trained on those classes (the test files of a data set, or new
    /// data to evaluate). A class of the model may be missing from the data.
    ///
    /// - Parameter classLabels: a model's class labels in class order (see ``classLabels``).
    /// - Throws: ``DataError/mismatched(source:reason:)`` naming the labels that are none of
    ///   `classLabels`; for a regression data set, that it has no labels.
    public func relabeled(as classLabels: [Int]) throws -> Dataset {
        guard case let .labels(labels, _) = targets, let ownLabels = self.classLabels else {
            throw DataError.mismatched(source: name, reason: "it has real-valued targets, not the class labels a classifier needs")
        }
        let encoder = LabelEncoder(classLabels: classLabels)
        let mapping = ownLabels.map(encoder.encode)
        let unknown = zip(ownLabels, mapping).filter { $1 == nil }.map(\.0)
        guard unknown.isEmpty else {
            let listed = unknown.prefix(5).map(String.init).joined(separator: ", ") + (unknown.count > 5 ? " and \(unknown.count - 5) more" : "")
            throw DataError.mismatched(source: name, reason: "it has label\(unknown.count == 1 ? "" : "s") \(listed), which the model's classes "
                                       + "(\(classLabels.prefix(12).map(String.init).joined(separator: ", "))\(classLabels.count > 12 ? ", …" : "")) do not include: "
                                       + "give data with the labels the model was trained on")
        }
        return Dataset(name: name, features: features, featureShape: featureShape,
                       targets: .labels(labels.map { mapping[$0]! }, classCount: classLabels.count), classLabels: classLabels)
    }
}
