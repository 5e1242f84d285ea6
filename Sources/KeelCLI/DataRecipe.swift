import Foundation
import Keel
import KeelCommandLine

/// How `keel train` got its examples: the data set, its scaling and layout, the seeded split.
/// Saved in checkpoints (`data.*` metadata) so `evaluate`, `predict` and `--resume` prepare data
/// the same way.
struct DataRecipe {
    var spec: DatasetSpec
    var scaling: PixelScaling
    var layout: ImageLayout
    var seed: UInt64
    var testFraction: Double
    var validationFraction: Double
    var regression: Bool

    init(spec: DatasetSpec, scaling: PixelScaling, layout: ImageLayout, seed: UInt64, testFraction: Double,
         validationFraction: Double, regression: Bool) throws {
        guard testFraction > 0, testFraction < 1, validationFraction >= 0, testFraction + validationFraction < 1 else {
            throw CLIError("--test-fraction must lie in (0, 1) and --validation-fraction in [0, 1), together below 1")
        }
        (self.spec, self.scaling, self.layout, self.seed) = (spec, scaling, layout, seed)
        (self.testFraction, self.validationFraction, self.regression) = (testFraction, validationFraction, regression)
    }

    /// The recipe a checkpoint recorded; `dataset` replaces its data set when given.
    init(checkpoint: LoadedCheckpoint, overriding dataset: String?) throws {
        let metadata = checkpoint.metadata
        guard let recorded = metadata["data.spec"], let scaling = metadata["data.scaling"].flatMap(PixelScaling.init(name:)),
              let seed = metadata["data.seed"].flatMap(UInt64.init), let test = metadata["data.test-fraction"].flatMap(Double.init),
              let validation = metadata["data.validation-fraction"].flatMap(Double.init) else {
            throw CLIError("\(checkpoint.url.path) was not saved by `keel train`, so how its data was prepared is unknown")
        }
        try self.init(spec: DatasetSpec(dataset ?? recorded), scaling: scaling, layout: metadata["data.layout"] == "image" ? .image : .flat,
                      seed: seed, testFraction: test, validationFraction: validation, regression: metadata["data.regression"] == "true")
    }

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
