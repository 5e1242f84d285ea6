import KeelCore

/// Errors from data that does not fit a model: training data, stored values, checkpoints, model
/// configurations and training settings.
///
/// Each case's description is one line that says what was wrong and what to do.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    /// Sample initialisation needs `needed` examples of a class that has only `found`.
    case notEnoughExamples(label: Int, found: Int, needed: Int)
    /// Stored values lack a tensor the model has.
    case missingTensor(name: String)
    /// A stored tensor has the wrong number of elements.
    case tensorSizeMismatch(name: String, expected: Int, found: Int)
    /// Training settings name an optimiser that does not exist, or give it the wrong hyper-parameters.
    case unknownOptimizer(name: String, hyperParameters: [Float])
    /// A checkpoint file is readable but is not a valid Keel checkpoint.
    case invalidCheckpoint(path: String, reason: String)
    /// A data set does not fit the model (feature size, targets, classes).
    case incompatibleData(dataset: String, reason: String)
    /// A model configuration cannot be built: `field` is the ``ModelConfiguration`` property at
    /// fault (`layerSizes`, `anchorsPerClass`, …), `reason` says why (a value out of range, or
    /// tensors larger than ``ModelSizeLimits`` allow).
    case invalidConfiguration(kind: String, field: String, reason: String)
    /// Training settings hold a value out of range: `setting` is the ``TrainingSettings`` property
    /// at fault (`batchSize`, `learningRate`, …).
    case invalidTrainingSettings(setting: String, reason: String)

    /// A one-line message naming the problem and, where there is one, the fix.
    public var description: String {
        switch self {
        case let .notEnoughExamples(label, found, needed):
            return "class \(label) has \(found) training examples but sample initialisation needs \(needed) (one per anchor): "
                + "use at most \(found) anchors per class (--anchors-per-class) or random initialisation (--init random)"
        case let .missingTensor(name):
            return "the stored model has no tensor '\(name)': it was saved from a different architecture"
        case let .unknownOptimizer(name, hyperParameters):
            return "unknown optimiser '\(name)' with hyper-parameters \(hyperParameters): choose one of \(OptimizerUpdate.Rule.names.joined(separator: ", "))"
        case let .invalidCheckpoint(path, reason):
            return "\(path) is not a usable checkpoint: \(reason)"
        case let .incompatibleData(dataset, reason):
            return "data set '\(dataset)' does not fit the model: \(reason)"
        case let .tensorSizeMismatch(name, expected, found):
            return "the stored tensor '\(name)' has \(found) values but the model needs \(expected): it was saved from a different architecture"
        case let .invalidConfiguration(kind, field, reason):
            return "invalid \(kind) model configuration: \(field) \(reason)"
        case let .invalidTrainingSettings(setting, reason):
            return "invalid training setting \(setting): \(reason)"
        }
    }
}
