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
    /// The values are checked by ``validate()``, which ``makeModel(seed:on:)`` calls.
    ///
    /// - Parameters:
    ///   - features: features per example `n`; at least 1.
    ///   - classes: classes `K`, or 1 for the binary model.
    ///   - anchorsPerClass: anchors per class `P`; at least 1.
    ///   - charge: the charge `q`, finite and at least 0; 0 turns the energy off.
    ///   - interaction: which pairs the energy counts.
    ///   - initialization: how anchors start.
    ///   - freezeAnchors: learn only `w` and `b`.
    ///   - halvedDistance: use `(1 − cos)/2`, in [0, 1], as the distance.
    public init(features: Int, classes: Int, anchorsPerClass: Int = 1, charge: Float = 0, interaction: Interaction = .withinClass,
                initialization: Initialization = .sample, freezeAnchors: Bool = false, halvedDistance: Bool = false) {
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

    /// Checks that the classifier can be built: `n`, `K` and `P` at least 1, a finite charge of
    /// at least 0, and within ``ModelSizeLimits`` the anchors and, with a charge, the interaction
    /// mask and the Gram matrices the charge energy builds at every step. Allocates nothing.
    ///
    /// - Throws: ``ModelError/invalidConfiguration(kind:field:reason:)`` naming the property at fault.
    public func validate() throws {
        func invalid(_ field: String, _ value: some Numeric, _ requirement: String) -> ModelError {
            .invalidConfiguration(kind: Self.kind, field: field, reason: "\(value) \(requirement)")
        }
        guard features >= 1 else { throw invalid("features", features, "is below 1") }
        guard classes >= 1 else { throw invalid("classes", classes, "is below 1") }
        guard anchorsPerClass >= 1 else { throw invalid("anchorsPerClass", anchorsPerClass, "is below 1") }
        guard charge.isFinite && charge >= 0 else { throw invalid("charge", charge, "is not a finite number of at least 0") }
        let anchors = { (role: String, dimensions: [Int]) in
            PlannedTensor(field: "anchorsPerClass", value: "\(anchorsPerClass)", role: role, dimensions: dimensions)
        }
        var tensors = [anchors("the anchors (K·P rows of n features)", [classes, anchorsPerClass, features]),
                       PlannedTensor(field: "classes", value: "\(classes)", role: "w and b", dimensions: [2, classes])]
        if charge > 0 {
            let size = interaction == .withinClass ? [anchorsPerClass] : [classes, anchorsPerClass]
            tensors.append(anchors("the charge energy's interaction mask", size + size))
            tensors.append(anchors("the charge energy's Gram matrices", interaction == .withinClass ? [classes] + size + size : size + size))
        }
        try ModelSizeLimits.check(tensors, kind: Self.kind)
    }

    /// Checks that sample initialisation can draw ``anchorsPerClass`` distinct examples of every
    /// class (for the binary model, of class 1) from `labels`: call it before building the
    /// model, which allocates the anchors. Does nothing with random initialisation.
    ///
    /// - Parameter labels: the class of each training example.
    /// - Throws: ``ModelError/notEnoughExamples(label:found:needed:)`` for the class with the fewest examples.
    public func validate(trainingLabels labels: [Int]) throws {
        guard initialization == .sample else { return }
        try requireExamples(labels)
    }

    /// Throws ``ModelError/notEnoughExamples(label:found:needed:)`` when the class with the fewest
    /// examples in `labels` has fewer than ``anchorsPerClass``.
    func requireExamples(_ labels: [Int]) throws {
        let anchorLabels = classes == 1 ? 1..<2 : 0..<classes
        var counts: [Int: Int] = [:]
        for label in labels where anchorLabels.contains(label) { counts[label, default: 0] += 1 }
        // A class without examples, found within the first `counts.count + 1` labels, else the smallest count.
        let fewest = anchorLabels.first { counts[$0] == nil }.map { (label: $0, found: 0) }
            ?? counts.min { ($0.value, $0.key) < ($1.value, $1.key) }.map { (label: $0.key, found: $0.value) }
        guard let fewest, fewest.found < anchorsPerClass else { return }
        throw ModelError.notEnoughExamples(label: fewest.label, found: fewest.found, needed: anchorsPerClass)
    }

    /// Builds an ``AnchorClassifier``.
    ///
    /// - Parameters:
    ///   - seed: the seed of the random anchors.
    ///   - backend: where the tensors live.
    /// - Returns: the classifier, ready to train.
    /// - Throws: ``ModelError/invalidConfiguration(kind:field:reason:)`` from ``validate()``, before
    ///   anything is allocated, or the backend's error when it cannot allocate or fill the tensors.
    public func makeModel(seed: UInt64, on backend: any Backend) throws -> any Model {
        try AnchorClassifier(self, seed: seed, on: backend)
    }
}
