import KeelData

/// What the report says about the data: its name, the size of each part, the shape of one
/// example and the class names.
public struct DatasetSummary: Sendable {
    /// A part of the data and its number of examples.
    public struct Part: Sendable, Equatable {
        /// The part's name, for example `train`.
        public var name: String
        /// The number of examples in the part.
        public var count: Int

        /// A part named `name` of `count` examples.
        ///
        /// - Parameters:
        ///   - name: the part's name.
        ///   - count: its number of examples.
        public init(_ name: String, count: Int) {
            self.name = name
            self.count = count
        }
    }

    /// The data set's name, for example `mnist5k`.
    public var name: String
    /// The parts in the order shown, for example train, validation, test.
    public var parts: [Part]
    /// The shape of one example's features, for example `[784]` or `[1, 28, 28]`.
    public var featureShape: [Int]
    /// Names of the classes, by index (`nil`: the indices are the names).
    public var classNames: [String]?

    /// A summary from its parts, for data that is not at hand as KeelData data sets.
    ///
    /// - Parameters:
    ///   - name: the data set's name.
    ///   - parts: the parts in the order shown.
    ///   - featureShape: the shape of one example's features.
    ///   - classNames: names of the classes by index, or `nil` to show the indices.
    public init(name: String, parts: [Part], featureShape: [Int], classNames: [String]? = nil) {
        self.name = name
        self.parts = parts
        self.featureShape = featureShape
        self.classNames = classNames
    }

    /// The summary of `parts` of one data set (named after the first part's data set).
    ///
    /// ```swift
    /// DatasetSummary([("train", split.train), ("test", split.test)])
    /// ```
    ///
    /// - Parameters:
    ///   - parts: the parts in the order shown, each named with its data set; at least one (a
    ///     precondition). The first gives the name and the feature shape.
    ///   - classNames: names of the classes by index, or `nil` for the first part's
    ///     `Dataset.classLabels`.
    public init(_ parts: [(name: String, dataset: Dataset)], classNames: [String]? = nil) {
        precondition(!parts.isEmpty, "A data set summary needs at least one part")
        self.init(name: parts[0].dataset.name, parts: parts.map { Part($0.name, count: $0.dataset.count) },
                  featureShape: parts[0].dataset.featureShape, classNames: classNames ?? parts[0].dataset.classLabels?.map(String.init))
    }

    /// The name of class `index`: its entry in ``classNames``, else the index.
    func className(_ index: Int) -> String {
        if let classNames, classNames.indices.contains(index) { return classNames[index] }
        return String(index)
    }
}
