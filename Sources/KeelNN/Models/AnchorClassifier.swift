import Foundation
import KeelCore
import KeelData

/// The anchor-vector classifier (see ``AnchorClassifierConfiguration``).
///
/// The distance product is computed in log space by the backends' fused cosine-distance
/// product, `log Dₖ = Σₚ log max(d(aₖₚ, x), 1e-6)`, so many anchors neither underflow nor lose
/// precision before the single `exp`.
///
/// Its parameters are `anchors` (not weight-decayed; a state instead when the anchors are
/// frozen), `w` (decayed) and `b`. Build one through its configuration:
///
/// ```swift
/// let model = try AnchorClassifierConfiguration(features: 784, classes: 10, anchorsPerClass: 10, charge: 0.1)
///     .makeModel(seed: 0, on: backend)
/// let classifier = model as! AnchorClassifier
/// ```
public final class AnchorClassifier: Model {
    /// The configuration the model was built from (``configuration`` as its concrete type).
    public let settings: AnchorClassifierConfiguration
    /// The anchors, `(K·P)×n`; class `k` owns rows `k·P ..< (k+1)·P`.
    public let anchors: Tensor
    /// The per-class scale `w` (`K`), initialised to 0.
    public let scale: Tensor
    /// The per-class offset `b` (`K`), initialised to 0.
    public let offset: Tensor
    private let interactionMask: Tensor?

    /// A classifier with Xavier-uniform anchors and `w = b = 0` (so every class scores 0 until
    /// training moves them).
    ///
    /// With ``AnchorClassifierConfiguration/Initialization/sample`` the anchors are replaced by
    /// training examples when training starts (``prepare(trainingFeatures:labels:seed:)``).
    ///
    /// - Parameters:
    ///   - settings: the architecture and its hyper-parameters.
    ///   - seed: the seed of the random anchors.
    ///   - backend: where the tensors live.
    /// - Throws: ``ModelError/invalidConfiguration(kind:field:reason:)`` from
    ///   ``AnchorClassifierConfiguration/validate()``, before anything is allocated, or the
    ///   backend's error when it cannot allocate or fill the tensors.
    public init(_ settings: AnchorClassifierConfiguration, seed: UInt64, on backend: any Backend) throws {
        try settings.validate()
        self.settings = settings
        let random = InitializationStream(seed: seed, on: backend)
        let anchorCount = settings.classes * settings.anchorsPerClass
        let initial = try Initializer.xavierUniform.makeParameter([anchorCount, settings.features], fanIn: settings.features,
                                                                  fanOut: anchorCount, random: random)
        anchors = settings.freezeAnchors ? initial.detached() : initial
        scale = try Initializer.zeros.makeParameter([settings.classes], fanIn: 1, fanOut: 1, random: random)
        offset = try Initializer.zeros.makeParameter([settings.classes], fanIn: 1, fanOut: 1, random: random)
        let mask = settings.charge > 0 ? AnchorClassifier.interactionMask(settings) : nil
        interactionMask = try mask.flatMap { $0.values.contains(1) ? try Tensor($0.values, shape: $0.shape, on: backend) : nil }
    }

    /// Softmax cross-entropy over `K` classes, or sigmoid cross-entropy for the binary model.
    public var objective: Objective { settings.objective }
    /// ``settings``.
    public var configuration: any ModelConfiguration { settings }
    /// `[n]`: one flat vector of ``AnchorClassifierConfiguration/features`` values per example.
    public var inputShape: [Int] { [settings.features] }

    /// Sample initialisation (when the configuration asks for it): see ``initializeAnchors(fromExamples:labels:seed:)``.
    ///
    /// Does nothing with ``AnchorClassifierConfiguration/Initialization/random`` or without labels.
    ///
    /// - Parameters:
    ///   - trainingFeatures: the training examples, `count × n` row-major.
    ///   - labels: the class of each example, or `nil` for data without labels.
    ///   - seed: chooses the examples.
    /// - Throws: ``ModelError/notEnoughExamples(label:found:needed:)`` when a class has fewer
    ///   than `P` examples, or the backend's error when the upload fails.
    public func prepare(trainingFeatures: [Float], labels: [Int]?, seed: UInt64) throws {
        guard settings.initialization == .sample, let labels else { return }
        try initializeAnchors(fromExamples: trainingFeatures, labels: labels, seed: seed)
    }

    /// Replaces each class's anchors by `P` distinct random examples of that class (for the
    /// binary model, of the positive class `1`), drawn with `seed`.
    ///
    /// The choice depends only on the labels and `seed` (a partial Fisher–Yates shuffle with
    /// SplitMix64), so it is the same on every backend.
    ///
    /// - Parameters:
    ///   - features: `count × n` row-major examples.
    ///   - labels: one class index per example.
    ///   - seed: chooses the examples.
    /// - Throws: ``ModelError/notEnoughExamples(label:found:needed:)`` when a class has fewer
    ///   than `P` examples (nothing is changed then), or the backend's error when the upload fails.
    public func initializeAnchors(fromExamples features: [Float], labels: [Int], seed: UInt64) throws {
        let n = settings.features, p = settings.anchorsPerClass
        precondition(features.count == labels.count * n, "\(labels.count) labels for \(features.count / n) examples of \(n) features")
        try settings.requireExamples(labels)
        var generator = SplitMix64(seed: seed)
        var values: [Float] = []
        values.reserveCapacity(settings.classes * p * n)
        for anchorClass in 0..<settings.classes {
            let label = settings.classes == 1 ? 1 : anchorClass
            var members = labels.indices.filter { labels[$0] == label }
            for chosen in 0..<p {
                members.swapAt(chosen, chosen + generator.next(below: members.count - chosen))
                values += features[members[chosen] * n..<(members[chosen] + 1) * n]
            }
        }
        try anchors.overwrite(with: values)
    }

    /// The class scores of a batch: see ``scores(_:anchors:scale:offset:settings:)``.
    ///
    /// - Parameters:
    ///   - input: an `N×n` batch.
    ///   - context: unused; the classifier has no dropout or batch statistics.
    /// - Returns: the `N×K` scores (logits for the objective; `N×1` for the binary model).
    /// - Throws: the backend's error when an operation fails on the device.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        precondition(input.shape.rank == 2 && input.shape[1] == settings.features,
                     "The anchor classifier needs an N×\(settings.features) input, got \(input.shape)")
        return try AnchorClassifier.scores(input, anchors: anchors, scale: scale, offset: offset, settings: settings)
    }

    /// The class scores `zₖ = wₖ·exp(Σₚ log d(aₖₚ, x)) + bₖ` (`N×K`).
    ///
    /// A function of its arguments only, so gradient checks and other code can evaluate the
    /// model with tensors of their own.
    ///
    /// - Parameters:
    ///   - input: an `N×n` batch.
    ///   - anchors: the `(K·P)×n` anchors, class `k` owning rows `k·P ..< (k+1)·P`.
    ///   - scale: `w`, `K` elements.
    ///   - offset: `b`, `K` elements.
    ///   - settings: supplies `K`, `P` and whether distances are halved.
    /// - Returns: the `N×K` scores.
    /// - Throws: the backend's error when an operation fails on the device.
    public static func scores(_ input: Tensor, anchors: Tensor, scale: Tensor, offset: Tensor,
                              settings: AnchorClassifierConfiguration) throws -> Tensor {
        var logDistance = try input.cosineDistanceProduct(anchors: anchors, classes: settings.classes)
        if settings.halvedDistance { logDistance = try logDistance - Float(settings.anchorsPerClass) * Float(M_LN2) }
        return try logDistance.exp() * scale + offset
    }

    /// The charge energy of the anchors (`nil` when the charge is 0, anchors are frozen, or
    /// no two anchors interact): see ``chargeEnergy(anchors:interactionMask:settings:)``.
    ///
    /// - Returns: a scalar that the training loss adds, or `nil`.
    /// - Throws: the backend's error when an operation fails on the device.
    public func regularization() throws -> Tensor? {
        guard let interactionMask, !settings.freezeAnchors else { return nil }
        return try AnchorClassifier.chargeEnergy(anchors: anchors, interactionMask: interactionMask, settings: settings)
    }

    /// `E = q²/2 · Σ_{interacting p≠p′} 1/max(d(a_p, a_p′), 1e-4)`.
    ///
    /// The cosines come from the Gram matrix of the raw anchors, normalised by its own diagonal,
    /// so the only work on whole anchor rows is one product (and one in the gradient). Within a
    /// class that is one batched product over the `K` diagonal `P×P` blocks (`K·P²·n`
    /// multiply-adds, not `(K·P)²·n`).
    ///
    /// - Parameters:
    ///   - anchors: the `(K·P)×n` anchors.
    ///   - interactionMask: ``interactionMask(_:)`` for `settings`, as a tensor on the anchors' backend.
    ///   - settings: supplies `K`, `P`, `n`, the charge `q` and whether distances are halved.
    /// - Returns: the scalar energy `E`.
    /// - Throws: the backend's error when an operation fails on the device.
    public static func chargeEnergy(anchors: Tensor, interactionMask: Tensor, settings: AnchorClassifierConfiguration) throws -> Tensor {
        let size = interactionMask.shape[0]
        let gram = try anchors.reshaped([settings.classes * settings.anchorsPerClass / size, size, settings.features]).gram()
        let diagonal = try 1 - interactionMask
        let norms = try (gram * diagonal).sum(axes: [2], keepingDimensions: true).sqrt()
            .clamped(to: CosineDistanceProduct.normFloor...Float.infinity)
        var distance = try 1 - gram / norms / norms.permuted([0, 2, 1])
        if settings.halvedDistance { distance = try distance * 0.5 }
        let inverse = try distance.clamped(to: 1e-4...Float.infinity).reciprocal()
        return try (inverse * interactionMask).sum() * (settings.charge * settings.charge / 2)
    }

    /// Ones off the diagonal of the pairs that interact: `P×P` (broadcast over classes) within
    /// a class, `(K·P)×(K·P)` across all anchors.
    ///
    /// - Parameter settings: supplies the ``AnchorClassifierConfiguration/interaction``, `K` and `P`.
    /// - Returns: the row-major values and their square shape.
    public static func interactionMask(_ settings: AnchorClassifierConfiguration) -> (values: [Float], shape: Shape) {
        let size = settings.interaction == .withinClass ? settings.anchorsPerClass : settings.classes * settings.anchorsPerClass
        let values = (0..<size * size).map { $0 / size == $0 % size ? Float(0) : 1 }
        return (values, [size, size])
    }

    /// `anchors` (unless frozen; not weight-decayed), `w` (decayed) and `b` (not decayed).
    public var parameters: [Parameter] {
        (settings.freezeAnchors ? [] : [Parameter(name: "anchors", tensor: anchors, isDecayed: false)])
            + [Parameter(name: "w", tensor: scale, isDecayed: true), Parameter(name: "b", tensor: offset, isDecayed: false)]
    }

    /// `anchors` when they are frozen (so checkpoints keep them), else none.
    public var states: [StateTensor] {
        settings.freezeAnchors ? [StateTensor(name: "anchors", tensor: anchors)] : []
    }

    /// The anchors as host rows (`K·P` rows of `n` values), for drawing them as images.
    ///
    /// - Returns: row `k·P + p` is anchor `p` of class `k`.
    /// - Throws: the backend's error when the download fails.
    public func anchorRows() throws -> [[Float]] {
        let values = try anchors.toArray(), n = settings.features
        return (0..<(values.count / n)).map { Array(values[$0 * n..<($0 + 1) * n]) }
    }
}
