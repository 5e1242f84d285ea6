import Foundation
import Keel
import KeelCommandLine

/// How `keel train` got its examples: the data set, its scaling and layout, the seeded split.
/// Saved in checkpoints (`data.*` metadata) so `evaluate`, `predict` and `--resume` prepare data
/// the same way. The fractions of a recipe made from flags are checked by `TrainCommand`.
struct DataRecipe {
    var spec: DatasetSpec
    var scaling: PixelScaling
    var layout: ImageLayout
    var seed: UInt64
    var testFraction: Double
    var validationFraction: Double
    var regression: Bool

    /// The `data.*` entries for a checkpoint.
    var metadata: [String: String] {
        ["data.spec": spec.description, "data.scaling": scaling.name, "data.layout": layout == .image ? "image" : "flat",
         "data.seed": String(seed), "data.test-fraction": String(testFraction), "data.validation-fraction": String(validationFraction),
         "data.regression": String(regression)]
    }

    /// Loads the data and splits it: stratified for labels, seeded; a directory with its own test
    /// part (full MNIST) keeps it.
    func split() throws -> DatasetSplit {
        switch try spec.load(scaling: scaling, layout: layout, seed: seed, regression: regression) {
        case let .whole(data):
            guard data.count >= 3 else { throw CLIError("\(data.name) has \(data.count) examples; training needs at least 3") }
            // The autoencoder's tiny identity set is its own test set.
            if data.count < 10, case .values = data.targets { return DatasetSplit(train: data, validation: nil, test: data) }
            return data.split(testFraction: testFraction, validationFraction: validationFraction, stratified: data.labels != nil, seed: seed)
        case let .parts(train, test):
            guard validationFraction > 0 else { return DatasetSplit(train: train, validation: nil, test: test) }
            let parts = train.split(testFraction: validationFraction, stratified: true, seed: seed)
            return DatasetSplit(train: parts.train, validation: parts.test, test: test)
        }
    }
}

extension DataRecipe {
    /// The recipe a checkpoint recorded; `dataset` replaces its data set when given.
    ///
    /// - Throws: ``CLIError`` naming the checkpoint and the entry when the checkpoint has no
    ///   `data.*` entries or one that is not valid (an unknown data set, a fraction out of range).
    init(checkpoint: LoadedCheckpoint, overriding dataset: String?) throws {
        let metadata = checkpoint.metadata, path = checkpoint.url.path
        guard metadata["data.spec"] != nil else {
            throw CLIError("\(path) was not saved by `keel train`, so how its data was prepared is unknown")
        }
        // The entry `key` parsed, or `fallback` when it is absent (older checkpoints lack it).
        func entry<Value>(_ key: String, _ requirement: String, fallback: Value? = nil, _ parse: (String) -> Value?) throws -> Value {
            if let text = metadata[key] {
                if let value = parse(text) { return value }
                throw CLIError("\(path) records \(key) '\(text)', which is not \(requirement): its metadata is damaged; train the model again")
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
                  regression: try entry("data.regression", "true or false", fallback: false, Bool.init))
    }
}
