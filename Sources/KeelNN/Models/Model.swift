import KeelCore

/// A trainable model: a layer whose outputs an ``Objective`` scores, built from a configuration
/// that checkpoints record so the model can be rebuilt.
public protocol Model: Layer {
    /// What the outputs mean and which loss trains them.
    var objective: Objective { get }
    /// How the model was built (its kind and hyper-parameters).
    var configuration: any ModelConfiguration { get }
    /// The shape of one example the model takes, for example `[784]` or `[1, 28, 28]`.
    var inputShape: [Int] { get }
    /// Loss terms that depend on the parameters only (the anchors' charge energy); `nil` if none.
    func regularization() throws -> Tensor?
    /// Data-dependent initialisation before the first epoch (the anchors' sample
    /// initialisation); does nothing for most models.
    func prepare(trainingFeatures: [Float], labels: [Int]?, seed: UInt64) throws
}

extension Model {
    public func regularization() throws -> Tensor? { nil }
    public func prepare(trainingFeatures: [Float], labels: [Int]?, seed: UInt64) throws {}
}

/// The hyper-parameters that determine a model's architecture, stored as JSON in checkpoints.
public protocol ModelConfiguration: Codable, Sendable {
    /// The model kind written to checkpoints (`mlp`, `lenet`, `anchors`).
    static var kind: String { get }
    /// Builds the model with parameters drawn from `seed` on `backend`.
    func makeModel(seed: UInt64, on backend: any Backend) throws -> any Model
}

/// The model kinds a checkpoint can name, and how to rebuild each from its JSON configuration.
public enum ModelKinds {
    /// The built-in configuration types.
    public static let all: [any ModelConfiguration.Type] = [MLPConfiguration.self, LeNetConfiguration.self, AnchorClassifierConfiguration.self]

    /// The configuration type for `kind`, or `nil`.
    public static func configurationType(for kind: String) -> (any ModelConfiguration.Type)? {
        all.first { $0.kind == kind }
    }
}
