/// A data set held in memory: one feature vector per example and its target.
///
/// Features are one flat row-major `[Float]`: example `i` occupies
/// `features[i * featureCount ..< (i + 1) * featureCount]`, laid out as `featureShape`
/// (for example `[784]`, `[1, 28, 28]` or `[2]`). Targets are class labels for classification or
/// rows of `Float`s for regression (see ``Targets``).
///
/// A `Dataset` is a value: ``subset(_:)``, ``reshaped(_:)`` and the preprocessing types return
/// new data sets and never change the original.
///
/// ```swift
/// let mnist = Dataset.mnist5k(scaling: .centred)          // 5,000 × [784], labels 0...9
/// let split = mnist.split(testFraction: 0.2, seed: 0)     // stratified 4,000 / 1,000
/// ```
public struct Dataset: Sendable, Equatable {
    /// What a data set predicts.
    public enum Targets: Sendable, Equatable {
        /// One class label per example, in `0..<classCount`.
        case labels([Int], classCount: Int)
        /// `width` target values per example, row-major.
        case values([Float], width: Int)
    }

    /// A short name for reports, for example `"mnist5k"`.
    public var name: String
    /// The features of all examples, row-major.
    public private(set) var features: [Float]
    /// The shape of one example's features.
    public private(set) var featureShape: [Int]
    /// The targets of all examples.
    public private(set) var targets: Targets
    /// The label each class stands for in the source data, in class order: class `i` was
    /// written `classLabels[i]` (for example `[1, 2, 3]` for a CSV file labelled 1, 2, 3, whose
    /// classes are 0, 1, 2). `0..<classCount` unless a loader mapped other labels to classes;
    /// nil for regression. See ``LabelEncoder``.
    public private(set) var classLabels: [Int]?

    /// A data set from its parts.
    ///
    /// The sizes must agree (a precondition): `features.count` is a multiple of the product of
    /// `featureShape`, every size of `featureShape` is positive, the targets hold one label in
    /// `0..<classCount`, or one row of `width > 0` values, per example, and `classLabels` (for
    /// labels) holds `classCount` distinct labels.
    ///
    /// ```swift
    /// let xor = Dataset(name: "xor", features: [0, 0, 0, 1, 1, 0, 1, 1], featureShape: [2],
    ///                   targets: .labels([0, 1, 1, 0], classCount: 2))
    /// ```
    ///
    /// - Parameters:
    ///   - name: a short name for reports.
    ///   - features: the features of all examples, row-major.
    ///   - featureShape: the shape of one example's features, for example `[784]` or `[1, 28, 28]`.
    ///   - targets: one label or one row of values per example.
    ///   - classLabels: what each class was called in the source data (default: its index).
    public init(name: String, features: [Float], featureShape: [Int], targets: Targets, classLabels: [Int]? = nil) {
        let featureCount = featureShape.reduce(1, *)
        precondition(featureCount > 0, "feature shape \(featureShape) must have positive sizes")
        precondition(features.count % featureCount == 0,
                     "\(features.count) feature values are not a whole number of \(featureShape) examples")
        let count = features.count / featureCount
        switch targets {
        case let .labels(labels, classCount):
            precondition(labels.count == count, "\(labels.count) labels for \(count) examples")
            precondition(labels.allSatisfy { (0..<classCount).contains($0) }, "labels must lie in 0..<\(classCount)")
            let classLabels = classLabels ?? Array(0..<classCount)
            precondition(classLabels.count == classCount && Set(classLabels).count == classCount,
                         "\(classLabels) are not \(classCount) distinct class labels")
            self.classLabels = classLabels
        case let .values(values, width):
            precondition(width > 0 && values.count == count * width, "\(values.count) target values for \(count) examples of width \(width)")
            precondition(classLabels == nil, "a regression data set has no class labels")
        }
        self.name = name
        self.features = features
        self.featureShape = featureShape
        self.targets = targets
    }

    /// The number of examples.
    public var count: Int { features.count / featureCount }

    /// The number of feature values per example (the product of ``featureShape``).
    public var featureCount: Int { featureShape.reduce(1, *) }

    /// The class labels, or nil for a regression data set.
    public var labels: [Int]? {
        if case let .labels(labels, _) = targets { labels } else { nil }
    }

    /// The number of classes, or nil for a regression data set.
    public var classCount: Int? {
        if case let .labels(_, classCount) = targets { classCount } else { nil }
    }

    /// The features of one example, a slice of ``features`` (no copy).
    ///
    /// - Parameter index: the example, in `0..<count`.
    /// - Returns: its ``featureCount`` values, row-major in ``featureShape``.
    public func features(of index: Int) -> ArraySlice<Float> {
        features[index * featureCount..<(index + 1) * featureCount]
    }

    /// The examples at `indices`, in that order (indices may repeat): a mini-batch or a split part.
    ///
    /// The result keeps the name, the feature shape and (for labels) the classes. Copies
    /// `indices.count × featureCount` values.
    ///
    /// - Parameter indices: example indices, each in `0..<count`.
    public func subset(_ indices: [Int]) -> Dataset {
        let width = featureCount
        var selected = [Float]()
        selected.reserveCapacity(indices.count * width)
        for index in indices { selected.append(contentsOf: features(of: index)) }
        let selectedTargets: Targets = switch targets {
        case let .labels(labels, classCount): .labels(indices.map { labels[$0] }, classCount: classCount)
        case let .values(values, width):
            .values(indices.flatMap { values[$0 * width..<($0 + 1) * width] }, width: width)
        }
        return Dataset(name: name, features: selected, featureShape: featureShape, targets: selectedTargets, classLabels: classLabels)
    }

    /// The same examples with each one's features viewed as `shape`; the values are not moved.
    ///
    /// - Parameter shape: the new feature shape; its product must equal ``featureCount``
    ///   (a precondition).
    public func reshaped(_ shape: [Int]) -> Dataset {
        precondition(shape.reduce(1, *) == featureCount, "cannot view \(featureShape) features as \(shape)")
        var copy = self
        copy.featureShape = shape
        return copy
    }

    /// The same examples with flat feature vectors (`[featureCount]`).
    public func flattened() -> Dataset { reshaped([featureCount]) }

    /// The same examples with features replaced by `transform(features, featureCount)`.
    func mapFeatures(_ transform: ([Float], Int) -> [Float]) -> Dataset {
        var copy = self
        copy.features = transform(features, featureCount)
        return copy
    }
}
