import Foundation
import Keel
import KeelCommandLine

/// How `keel train` got its examples: the data set, its scaling and layout, the seeded split,
/// the feature scaler fitted on the training part and the labels of the classes. Saved in
/// checkpoints (`data.*` metadata) so `evaluate`, `predict` and `--resume` prepare data the same
/// way. The fractions of a recipe made from flags are checked by `TrainCommand`.
struct DataRecipe {
    var spec: DatasetSpec
    var scaling: PixelScaling
    var layout: ImageLayout
    var seed: UInt64
    var testFraction: Double
    var validationFraction: Double
    var regression: Bool
    /// One of ``featureScalings``.
    var featureScaling: String
    /// The scaler fitted on the training part, once ``split()`` has fitted it or a checkpoint recorded it.
    var scaler: FeatureScaler?
    /// The label of each class, once ``split()`` has seen the data or a checkpoint recorded it.
    var classLabels: [Int]?

    /// What `--feature-scaling` takes: `none` and the names of ``FeatureScaler/names``.
    static let featureScalings = ["none"] + FeatureScaler.names

    /// The feature scaling when none is asked for: standardised CSV columns (tabular data
    /// ranges from tenths to thousands), none for images and the synthetic sets.
    static func defaultFeatureScaling(for spec: DatasetSpec) -> String {
        if case .csv = try? spec.source { "standard" } else { "none" }
    }

    /// The `data.*` entries for a checkpoint.
    var metadata: [String: String] {
        var entries = ["data.spec": spec.description, "data.scaling": scaling.name, "data.layout": layout == .image ? "image" : "flat",
                       "data.seed": String(seed), "data.test-fraction": String(testFraction),
                       "data.validation-fraction": String(validationFraction), "data.regression": String(regression),
                       "data.feature-scaling": featureScaling]
        if let classLabels { entries["data.class-labels"] = classLabels.map(String.init).joined(separator: ",") }
        if let scaler { entries["data.feature-statistics"] = scaler.statisticsJSON }
        return entries
    }

    /// Loads the data and splits it: stratified for labels, seeded; a directory with its own test
    /// part (full MNIST) keeps it. Each part is then prepared (``prepared(_:)``), after fitting
    /// the scaler on the training part and taking its classes when none are recorded.
    mutating func split() throws -> DatasetSplit {
        let split: DatasetSplit
        switch try spec.load(scaling: scaling, layout: layout, seed: seed, regression: regression) {
        case let .whole(data):
            guard data.count >= 3 else { throw CLIError("\(data.name) has \(data.count) examples; training needs at least 3") }
            if data.count < 10, case .values = data.targets {
                split = DatasetSplit(train: data, validation: nil, test: data)  // The autoencoder's tiny identity set is its own test set.
            } else {
                split = data.split(testFraction: testFraction, validationFraction: validationFraction, stratified: data.labels != nil, seed: seed)
            }
        case let .parts(train, test):
            if validationFraction > 0 {
                let parts = train.split(testFraction: validationFraction, stratified: true, seed: seed)
                split = DatasetSplit(train: parts.train, validation: parts.test, test: test)
            } else {
                split = DatasetSplit(train: train, validation: nil, test: test)
            }
        }
        if classLabels == nil { classLabels = split.train.classLabels }
        if scaler == nil, featureScaling != "none" {
            scaler = FeatureScaler(named: featureScaling, fitting: split.train)
        }
        return DatasetSplit(train: try prepared(split.train), validation: try split.validation.map(prepared), test: try prepared(split.test))
    }

    /// `data` with the recorded classes and feature scaling: its labels renumbered as the
    /// model's classes, its features rescaled by the fitted scaler.
    /// - Throws: ``CLIError`` when `data` has labels that are none of the model's classes, or
    ///   another number of features than the scaler was fitted on.
    func prepared(_ data: Dataset) throws -> Dataset {
        var data = data
        if let classLabels, data.classLabels != nil, data.classLabels != classLabels { data = try data.relabeled(as: classLabels) }
        guard let scaler else { return data }
        guard scaler.featureCount == data.featureCount else {
            throw CLIError("\(data.name) has \(data.featureCount) features per example but the model's \(scaler.name) scaling was fitted on \(scaler.featureCount)")
        }
        return scaler.transform(data)
    }
}

extension DataRecipe {
    /// The recipe a checkpoint recorded; `dataset` replaces its data set when given.
    ///
    /// - Throws: ``CLIError`` naming the checkpoint and the entry when the checkpoint has no
    ///   `data.*` entries or one that is not valid (an unknown data set, a fraction out of range,
    ///   class labels or scaling statistics that do not fit the model).
    init(checkpoint: LoadedCheckpoint, overriding dataset: String?) throws {
        let metadata = checkpoint.metadata, path = checkpoint.url.path
        guard metadata["data.spec"] != nil else {
            throw CLIError("\(path) was not saved by `keel train`, so how its data was prepared is unknown")
        }
        // The entry `key` parsed, or `fallback` when it is absent (older checkpoints lack it).
        func entry<Value>(_ key: String, _ requirement: String, fallback: Value? = nil, _ parse: (String) -> Value?) throws -> Value {
            if let text = metadata[key] {
                if let value = parse(text) { return value }
                let shown = text.count > 80 ? text.prefix(80) + "…" : text[...]
                throw CLIError("\(path) records \(key) '\(shown)', which is not \(requirement): its metadata is damaged; train the model again")
            }
            if let fallback { return fallback }
            throw CLIError("\(path) has no \(key) entry: its metadata is damaged; train the model again")
        }
        let recorded = try entry("data.spec", "a data set (\(DatasetSpec.help))") { text in
            (try? DatasetSpec(text).source) == nil ? nil : DatasetSpec(text)
        }
        let test = try entry("data.test-fraction", "a fraction in (0, 1)") { Double($0).flatMap { $0 > 0 && $0 < 1 ? $0 : nil } }
        self.init(spec: dataset.map(DatasetSpec.init) ?? recorded,
                  scaling: try entry("data.scaling", "raw, unit or centred", PixelScaling.init(name:)),
                  layout: try entry("data.layout", "flat or image", fallback: .flat) { ["flat": ImageLayout.flat, "image": .image][$0] },
                  seed: try entry("data.seed", "a seed (a whole number from 0)", UInt64.init),
                  testFraction: test,
                  validationFraction: try entry("data.validation-fraction", "a fraction in [0, 1) that leaves room for the test fraction") {
                      Double($0).flatMap { $0 >= 0 && $0 + test < 1 ? $0 : nil }
                  },
                  regression: try entry("data.regression", "true or false", fallback: false, Bool.init),
                  featureScaling: try entry("data.feature-scaling", "none, standard or minmax", fallback: "none") {
                      Self.featureScalings.contains($0) ? $0 : nil
                  })
        if featureScaling != "none" {
            let fitted: FeatureScaler = try entry("data.feature-statistics", "the statistics of \(featureScaling) scaling") {
                FeatureScaler(named: featureScaling, statisticsJSON: $0)
            }
            let width = checkpoint.model.inputShape.reduce(1, *)
            guard fitted.featureCount == width else {
                throw CLIError("\(path) records \(featureScaling) scaling of \(fitted.featureCount) features for a model of \(width): its metadata is damaged; train the model again")
            }
            scaler = fitted
        }
        let labels: [Int] = try entry("data.class-labels", "distinct whole numbers separated by commas", fallback: []) { text in
            let fields = text.split(separator: ",", omittingEmptySubsequences: false), labels = fields.compactMap { Int($0) }
            return labels.count == fields.count && Set(labels).count == labels.count ? labels : nil
        }
        classLabels = labels.isEmpty ? nil : labels  // older checkpoints: the classes are the labels 0..<K
        let classes = checkpoint.model.objective.classCount
        if let classLabels, classLabels.count != classes {
            throw CLIError("\(path) records \(classLabels.count) class labels for a model of \(classes.map { "\($0) classes" } ?? "real-valued outputs"): "
                           + "its metadata is damaged; train the model again")
        }
    }
}
