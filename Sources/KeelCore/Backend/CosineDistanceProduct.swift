/// The per-class log cosine-distance product of the anchor classifier.
///
/// For inputs `X: m×n` and anchors `A: (K·P)×n` (class `k` owns rows `k·P ..< (k+1)·P`):
/// `cᵢⱼ = xᵢ·aⱼ / (max(|xᵢ|, ν)·max(|aⱼ|, ν))` and `Sᵢₖ = Σₚ log(max(1 − cᵢ,ₖₚ, ε))`,
/// with the norm floor ν = ``normFloor``, so a zero row has cosine 0 with everything. The clamp at `ε` keeps the logarithm
/// finite when an input coincides with an anchor; the backward pass treats clamped terms as
/// constant. The cosines are returned too, because the gradient needs them. Neither clamp hides
/// a NaN: a row or anchor holding a NaN or an infinity gives NaN cosines and log-distances.
///
/// The backward pass, for `g = ∂L/∂S` (`m×K`): with `Gᵢⱼ = −gᵢ,ₖ₍ⱼ₎·[1 − cᵢⱼ > ε] / max(1 − cᵢⱼ, ε)`
/// and `Wᵢⱼ = Gᵢⱼ / (max(|xᵢ|, ν)·max(|aⱼ|, ν))`,
/// `∂X = W·A − diag(Σⱼ Gᵢⱼcᵢⱼ / max(|xᵢ|, ν)²)·X` and `∂A = Wᵀ·X − diag(Σᵢ Gᵢⱼcᵢⱼ / max(|aⱼ|, ν)²)·A`.
public struct CosineDistanceProduct: Hashable, Sendable, CustomStringConvertible {
    /// Input rows `m`.
    public var rows: Int
    /// Features `n` per input and per anchor.
    public var features: Int
    /// Classes `K`.
    public var classes: Int
    /// Anchors per class `P`.
    public var anchorsPerClass: Int
    /// The smallest distance `1 − c` fed to the logarithm (`ε`).
    public var epsilon: Float

    /// The norm floor ν = 1e-12.
    public static let normFloor: Float = 1e-12

    /// The default clamp `ε = 1e-6`.
    public static let defaultEpsilon: Float = 1e-6

    /// Describes a product, stopping with a precondition failure unless `rows ≥ 0`, the other
    /// sizes are `≥ 1` and `epsilon > 0`.
    /// - Parameters:
    ///   - rows: Input rows `m`.
    ///   - features: Features `n` per input and anchor.
    ///   - classes: Classes `K`.
    ///   - anchorsPerClass: Anchors per class `P`.
    ///   - epsilon: The smallest distance `1 − c` fed to the logarithm.
    public init(rows: Int, features: Int, classes: Int, anchorsPerClass: Int, epsilon: Float = defaultEpsilon) {
        precondition(rows >= 0 && features >= 1 && classes >= 1 && anchorsPerClass >= 1 && epsilon > 0,
                     "Cosine-distance product needs features ≥ 1, classes ≥ 1, anchors per class ≥ 1, ε > 0; got m=\(rows) n=\(features) K=\(classes) P=\(anchorsPerClass) ε=\(epsilon)")
        self.rows = rows
        self.features = features
        self.classes = classes
        self.anchorsPerClass = anchorsPerClass
        self.epsilon = epsilon
    }

    /// `K·P`, the number of anchor rows.
    public var anchorCount: Int { classes * anchorsPerClass }

    /// The floating-point work of the equivalent GEMM (`2·m·n·K·P`).
    public var flops: Double { 2 * Double(rows) * Double(features) * Double(anchorCount) }

    /// A one-line summary of `m`, `n`, `K`, `P` and `ε`.
    public var description: String {
        "CosineDistanceProduct(m: \(rows), n: \(features), K: \(classes), P: \(anchorsPerClass), ε: \(epsilon))"
    }
}

extension CosineDistanceProduct {
    /// Whether a backend may multiply each pair of a class's distances before the logarithm
    /// (`log a + log b = log ab`): `P` is even and `ε²` is a normal float, so every product lies
    /// in `[ε², 4]`. It halves the logarithms of the forward pass.
    package var multipliesDistancePairs: Bool {
        anchorsPerClass % 2 == 0 && epsilon * epsilon >= .leastNormalMagnitude
    }

    /// Stops with a precondition failure, naming `backend`, unless each buffer of the backward
    /// pass holds the elements it needs (the gradients only when given).
    package func requireBackwardBuffers(_ backend: String, input: any DeviceBuffer, anchors: any DeviceBuffer, cosines: any DeviceBuffer,
                                        outputGradient: any DeviceBuffer, inputGradient: (any DeviceBuffer)?, anchorGradient: (any DeviceBuffer)?) {
        let checks: [((any DeviceBuffer)?, Int, String)] = [
            (input, rows * features, "an input"), (anchors, anchorCount * features, "anchors"), (cosines, rows * anchorCount, "cosines"),
            (outputGradient, rows * classes, "an output gradient"), (inputGradient, rows * features, "an input gradient"),
            (anchorGradient, anchorCount * features, "an anchor gradient"),
        ]
        for case let (buffer?, needed, role) in checks {
            precondition(needed <= buffer.count,
                         "\(backend).cosineDistanceProductBackward: \(self) needs \(role) of \(needed) elements, got \(buffer.count)")
        }
    }
}
