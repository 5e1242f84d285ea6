import KeelCore

/// The anchor-vector classifier of `MODELS.md`: each class owns `P` learned anchors, and an
/// example's class score is `zₖ = wₖ·Πₚ d(aₖₚ, x) + bₖ` with the cosine distance `d = 1 − cos`.
///
/// `classes == 1` is the binary model (sigmoid over the positive class's score); otherwise the
/// scores are softmax logits.
///
/// The optional charge `q` adds an energy that pushes anchors apart (see
/// ``AnchorClassifier/chargeEnergy(anchors:interactionMask:settings:)``). The reference run on
/// MNIST uses 10 anchors per class and `q = 0.1`:
///
/// ```swift
/// let configuration = AnchorClassifierConfiguration(features: 784, classes: 10, anchorsPerClass: 10, charge: 0.1)
/// let model = try configuration.makeModel(seed: 0, on: backend)
/// ```
public struct AnchorClassifierConfiguration: ModelConfiguration, Hashable {
    /// `anchors`, the kind checkpoints record.
    public static let kind = "anchors"

    /// How anchors start.
    public enum Initialization: String, Codable, Sendable, CaseIterable {
        /// Random training examples of the anchor's class (``AnchorClassifier/initializeAnchors(fromExamples:labels:seed:)``).
        case sample
        /// Xavier-uniform random vectors.
        case random
    }

    /// Which anchor pairs repel in the charge energy.
    public enum Interaction: String, Codable, Sendable, CaseIterable {
        /// Anchors of the same class (the default).
        case withinClass = "within-class"
        /// Every pair of anchors, across classes too (what the original code computed).
        case allAnchors = "all-anchors"
    }

    /// Features per example `n`.
    public var features: Int
    /// Classes `K`; 1 for the binary model.
    public var classes: Int
    /// Anchors per class `P`.
    public var anchorsPerClass: Int
    /// The charge `q`; the energy is `q²/2·Σ 1/max(d(a, a′), 1e-4)` over interacting pairs.
    public var charge: Float
    /// Which anchor pairs the charge energy counts.
    public var interaction: Interaction
    /// How anchors start.
    public var initialization: Initialization
    /// Learn only `w` and `b`, keeping the anchors where they started.
    public var freezeAnchors: Bool
    /// Halve the distances so each lies in [0, 1].
    public var halvedDistance: Bool

    /// A configuration; the defaults are one anchor per class, no charge, sample initialisation.
    ///
    /// - Parameters:
    ///   - features: features per example `n`; at least 1.
    ///   - classes: classes `K`, or 1 for the binary model.
    ///   - anchorsPerClass: anchors per class `P`; at least 1.
    ///   - charge: the charge `q`, at least 0; 0 turns the energy off.
    ///   - interaction: which pairs the energy counts.
    ///   - initialization: how anchors start.
    ///   - freezeAnchors: learn only `w` and `b`.
    ///   - halvedDistance: use `(1 − cos)/2`, in [0, 1], as the distance.
    public init(features: Int, classes: Int, anchorsPerClass: Int = 1, charge: Float = 0, interaction: Interaction = .withinClass,
                initialization: Initialization = .sample, freezeAnchors: Bool = false, halvedDistance: Bool = false) {
        precondition(features >= 1 && classes >= 1 && anchorsPerClass >= 1 && charge >= 0,
                     "The anchor classifier needs n ≥ 1, K ≥ 1, P ≥ 1 and q ≥ 0, got n=\(features) K=\(classes) P=\(anchorsPerClass) q=\(charge)")
        self.features = features
        self.classes = classes
        self.anchorsPerClass = anchorsPerClass
        self.charge = charge
        self.interaction = interaction
        self.initialization = initialization
        self.freezeAnchors = freezeAnchors
        self.halvedDistance = halvedDistance
    }

    /// Softmax cross-entropy over `classes`, or sigmoid cross-entropy when `classes == 1`.
    public var objective: Objective { classes == 1 ? .sigmoidCrossEntropy : .softmaxCrossEntropy(classes: classes) }

    /// Builds an ``AnchorClassifier``.
    ///
    /// - Parameters:
    ///   - seed: the seed of the random anchors.
    ///   - backend: where the tensors live.
    /// - Returns: the classifier, ready to train.
    /// - Throws: the backend's error when it cannot allocate or fill the tensors.
    public func makeModel(seed: UInt64, on backend: any Backend) throws -> any Model {
        try AnchorClassifier(self, seed: seed, on: backend)
    }
}
