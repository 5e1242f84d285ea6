import KeelCore

/// A trainable model: a layer whose outputs an ``Objective`` scores, built from a configuration
/// that checkpoints record so the model can be rebuilt.
///
/// Models come from a ``ModelConfiguration``: ``MLPConfiguration`` and ``LeNetConfiguration``
/// build a ``Network``, ``AnchorClassifierConfiguration`` an ``AnchorClassifier``. A ``Trainer``
/// trains any model; ``Checkpoint`` saves and rebuilds it.
///
/// ```swift
/// let model = try MLPConfiguration.logisticRegression(inputs: 64, classes: 10).makeModel(seed: 0, on: backend)
/// let logits = try model(batch)                                   // inference, N×10
/// let classes = model.objective.predictedClasses(fromOutputs: try logits.toArray())
/// ```
public protocol Model: Layer {
    /// What the outputs mean and which loss trains them.
    var objective: Objective { get }
    /// How the model was built (its kind and hyper-parameters).
    var configuration: any ModelConfiguration { get }
    /// The shape of one example the model takes, for example `[784]` or `[1, 28, 28]`.
    var inputShape: [Int] { get }
    /// Loss terms that depend on the parameters only (the anchors' charge energy); `nil` if none.
    ///
    /// - Returns: a scalar the training loss adds (weight decay is separate: the optimiser
    ///   applies it), or `nil`.
    /// - Throws: the backend's error when an operation fails on the device.
    func regularization() throws -> Tensor?
    /// Data-dependent initialisation before the first epoch (the anchors' sample
    /// initialisation); does nothing for most models.
    ///
    /// The trainer calls it once, when a model without history starts training.
    ///
    /// - Parameters:
    ///   - trainingFeatures: the training examples, row-major, `inputShape` elements each.
    ///   - labels: the class of each example, or `nil` for regression data.
    ///   - seed: the training seed, for any random choice.
    /// - Throws: ``ModelError`` when the data cannot initialise the model, or the backend's error.
    func prepare(trainingFeatures: [Float], labels: [Int]?, seed: UInt64) throws
}

extension Model {
    /// `nil`: no regularisation, the default.
    public func regularization() throws -> Tensor? { nil }
    /// Does nothing, the default.
    ///
    /// - Parameters:
    ///   - trainingFeatures: ignored.
    ///   - labels: ignored.
    ///   - seed: ignored.
    public func prepare(trainingFeatures: [Float], labels: [Int]?, seed: UInt64) throws {}
}

/// The hyper-parameters that determine a model's architecture, stored as JSON in checkpoints.
///
/// A configuration is a value: encoding it and building it again gives the same architecture,
/// and the same seed gives the same initial parameters on every backend. Any values can be
/// stored in one (a checkpoint may hold anything); ``validate()`` says whether they can be
/// built, and ``makeModel(seed:on:)`` calls it before it allocates anything.
public protocol ModelConfiguration: Codable, Sendable {
    /// The model kind written to checkpoints (`mlp`, `lenet`, `anchors`).
    static var kind: String { get }
    /// Checks that the model can be built: every size and rate in range, and every tensor within
    /// ``ModelSizeLimits``. Allocates nothing.
    ///
    /// - Throws: ``ModelError/invalidConfiguration(kind:field:reason:)`` naming the property at fault.
    func validate() throws
    /// Builds the model with parameters drawn from `seed` on `backend`, after ``validate()``.
    ///
    /// - Parameters:
    ///   - seed: the seed of the initial parameters.
    ///   - backend: where the model's tensors live.
    /// - Returns: a new, untrained model.
    /// - Throws: ``ModelError/invalidConfiguration(kind:field:reason:)`` from ``validate()``, before
    ///   anything is allocated, or the backend's error when it cannot allocate or fill the tensors.
    func makeModel(seed: UInt64, on backend: any Backend) throws -> any Model
}

/// The model kinds a checkpoint can name, and how to rebuild each from its JSON configuration.
public enum ModelKinds {
    /// The built-in configuration types: ``MLPConfiguration``, ``LeNetConfiguration`` and
    /// ``AnchorClassifierConfiguration``.
    public static let all: [any ModelConfiguration.Type] = [MLPConfiguration.self, LeNetConfiguration.self, AnchorClassifierConfiguration.self]

    /// The configuration type for `kind`, or `nil` when no built-in type has that kind.
    ///
    /// - Parameter kind: a ``ModelConfiguration/kind`` such as `mlp`, as read from a checkpoint.
    public static func configurationType(for kind: String) -> (any ModelConfiguration.Type)? {
        all.first { $0.kind == kind }
    }
}
