import Foundation
import KeelCore
import KeelData

/// The anchor-vector classifier (see ``AnchorClassifierConfiguration``).
///
/// The distance product is computed in log space by the backends' fused cosine-distance
/// product, `log Dₖ = Σₚ log d(aₖₚ, x)`, so many anchors neither underflow nor lose precision
/// before the single `exp`.
public final class AnchorClassifier: Model {
    public let settings: AnchorClassifierConfiguration
    /// The anchors, `(K·P)×n`; class `k` owns rows `k·P ..< (k+1)·P`.
    public let anchors: Tensor
    /// The per-class scale `w` (`K`), initialised to 0.
    public let scale: Tensor
    /// The per-class offset `b` (`K`), initialised to 0.
    public let offset: Tensor
    private let interactionMask: Tensor?

    public init(_ settings: AnchorClassifierConfiguration, seed: UInt64, on backend: any Backend) throws {
        self.settings = settings
        let random = InitializationStream(seed: seed, on: backend)
        let anchorCount = settings.classes * settings.anchorsPerClass
        let initial = try Initializer.xavierUniform.makeParameter([anchorCount, settings.features], fanIn: settings.features,
                                                                  fanOut: anchorCount, random: random)
        anchors = settings.freezeAnchors ? initial.detached() : initial
        scale = try Initializer.zeros.makeParameter([settings.classes], fanIn: 1, fanOut: 1, random: random)
        offset = try Initializer.zeros.makeParameter([settings.classes], fanIn: 1, fanOut: 1, random: random)
        let mask = AnchorClassifier.interactionMask(settings)
        interactionMask = settings.charge > 0 && mask.values.contains(1) ? try Tensor(mask.values, shape: mask.shape, on: backend) : nil
    }

    public var objective: Objective { settings.objective }
    public var configuration: any ModelConfiguration { settings }
    public var inputShape: [Int] { [settings.features] }

    /// Sample initialisation (when the configuration asks for it): see ``initializeAnchors(fromExamples:labels:seed:)``.
    public func prepare(trainingFeatures: [Float], labels: [Int]?, seed: UInt64) throws {
        guard settings.initialization == .sample, let labels else { return }
        try initializeAnchors(fromExamples: trainingFeatures, labels: labels, seed: seed)
    }

    /// Replaces each class's anchors by `P` distinct random examples of that class (for the
    /// binary model, of the positive class `1`), drawn with `seed`.
    /// - Parameters:
    ///   - features: `count × n` row-major examples.
    ///   - labels: one class index per example.
    public func initializeAnchors(fromExamples features: [Float], labels: [Int], seed: UInt64) throws {
        let n = settings.features, p = settings.anchorsPerClass
        precondition(features.count == labels.count * n, "\(labels.count) labels for \(features.count / n) examples of \(n) features")
        var generator = SplitMix64(seed: seed)
        var values: [Float] = []
        values.reserveCapacity(settings.classes * p * n)
        for anchorClass in 0..<settings.classes {
            let label = settings.classes == 1 ? 1 : anchorClass
            var members = labels.indices.filter { labels[$0] == label }
            guard members.count >= p else {
                throw ModelError.notEnoughExamples(label: label, found: members.count, needed: p)
            }
            for chosen in 0..<p {
                members.swapAt(chosen, chosen + generator.next(below: members.count - chosen))
                values += features[members[chosen] * n..<(members[chosen] + 1) * n]
            }
        }
        try values.withUnsafeBufferPointer { try anchors.backend.upload($0, to: anchors.buffer) }
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        precondition(input.shape.rank == 2 && input.shape[1] == settings.features,
                     "The anchor classifier needs an N×\(settings.features) input, got \(input.shape)")
        return try AnchorClassifier.scores(input, anchors: anchors, scale: scale, offset: offset, settings: settings)
    }

    /// The class scores `zₖ = wₖ·exp(Σₚ log d(aₖₚ, x)) + bₖ` (`N×K`).
    public static func scores(_ input: Tensor, anchors: Tensor, scale: Tensor, offset: Tensor,
                              settings: AnchorClassifierConfiguration) throws -> Tensor {
        var logDistance = try input.cosineDistanceProduct(anchors: anchors, classes: settings.classes)
        if settings.halvedDistance { logDistance = try logDistance - Float(settings.anchorsPerClass) * Float(M_LN2) }
        return try logDistance.exp() * scale + offset
    }

    /// The charge energy of the anchors (`nil` when the charge is 0, anchors are frozen, or
    /// there is one anchor).
    public func regularization() throws -> Tensor? {
        guard let interactionMask, !settings.freezeAnchors else { return nil }
        return try AnchorClassifier.chargeEnergy(anchors: anchors, interactionMask: interactionMask, settings: settings)
    }

    /// `E = q²/2 · Σ_{interacting p≠p′} 1/max(d(a_p, a_p′), 1e-4)`.
    ///
    /// The cosines come from the Gram matrix of the raw anchors, normalised by its own diagonal,
    /// so the only work on whole anchor rows is one product (and one in the gradient). Within a
    /// class that is one batched product over the `K` diagonal `P×P` blocks (`K·P²·n`
    /// multiply-adds, not `(K·P)²·n`); `interactionMask` is ``interactionMask(_:)``.
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
    public static func interactionMask(_ settings: AnchorClassifierConfiguration) -> (values: [Float], shape: Shape) {
        let size = settings.interaction == .withinClass ? settings.anchorsPerClass : settings.classes * settings.anchorsPerClass
        let values = (0..<size * size).map { $0 / size == $0 % size ? Float(0) : 1 }
        return (values, [size, size])
    }

    public var parameters: [Parameter] {
        (settings.freezeAnchors ? [] : [Parameter(name: "anchors", tensor: anchors, isDecayed: false)])
            + [Parameter(name: "w", tensor: scale, isDecayed: true), Parameter(name: "b", tensor: offset, isDecayed: false)]
    }

    public var states: [StateTensor] {
        settings.freezeAnchors ? [StateTensor(name: "anchors", tensor: anchors)] : []
    }

    /// The anchors as host rows (`K·P` rows of `n` values), for drawing them as images.
    public func anchorRows() throws -> [[Float]] {
        let values = try anchors.toArray(), n = settings.features
        return (0..<(values.count / n)).map { Array(values[$0 * n..<($0 + 1) * n]) }
    }
}
