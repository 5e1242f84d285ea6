import KeelCore

/// How a weight tensor's initial values are drawn, from its fan-in and fan-out.
///
/// For a dense layer `fanIn` is the number of inputs and `fanOut` the number of outputs; for a
/// convolution both are multiplied by the kernel's area.
public enum Initializer: Hashable, Sendable, Codable, CustomStringConvertible {
    /// All zeros.
    case zeros
    /// Every element the given value (batch normalisation's γ starts at 1).
    case constant(Float)
    /// `N(0, σ²)`.
    case normal(standardDeviation: Float)
    /// `U(low, high)`.
    case uniform(low: Float, high: Float)
    /// Glorot/Xavier uniform: `U(−r, r)` with `r = √(6 / (fanIn + fanOut))`.
    case xavierUniform
    /// Glorot/Xavier normal: `σ = √(2 / (fanIn + fanOut))`.
    case xavierNormal
    /// He (Kaiming) normal for ReLU: `σ = √(2 / fanIn)`.
    case heNormal
    /// He uniform: `r = √(6 / fanIn)`.
    case heUniform
    /// LeCun normal for SELU: `σ = √(1 / fanIn)`.
    case lecunNormal

    /// The distribution to draw from, or `nil` for ``zeros`` and ``constant(_:)``.
    ///
    /// - Parameters:
    ///   - fanIn: inputs per output (times the kernel area for a convolution); values below 1
    ///     count as 1.
    ///   - fanOut: outputs per input (times the kernel area); values below 1 count as 1.
    public func distribution(fanIn: Int, fanOut: Int) -> RandomDistribution? {
        let fanIn = Float(Swift.max(fanIn, 1)), fanOut = Float(Swift.max(fanOut, 1))
        switch self {
        case .zeros, .constant: return nil
        case let .normal(sigma): return .normal(mean: 0, standardDeviation: sigma)
        case let .uniform(low, high): return .uniform(low: low, high: high)
        case .xavierUniform:
            let r = (6 / (fanIn + fanOut)).squareRoot()
            return .uniform(low: -r, high: r)
        case .xavierNormal: return .normal(mean: 0, standardDeviation: (2 / (fanIn + fanOut)).squareRoot())
        case .heNormal: return .normal(mean: 0, standardDeviation: (2 / fanIn).squareRoot())
        case .heUniform:
            let r = (6 / fanIn).squareRoot()
            return .uniform(low: -r, high: r)
        case .lecunNormal: return .normal(mean: 0, standardDeviation: (1 / fanIn).squareRoot())
        }
    }

    /// A new leaf tensor of `shape` drawn from this initialiser with `random`'s next counters,
    /// ready to be a ``Parameter``.
    ///
    /// Random initialisers reserve `shape.elementCount` counters of `random` (rounded up to a
    /// multiple of 4), so the next parameter gets different numbers; constant ones reserve none.
    ///
    /// - Parameters:
    ///   - shape: the tensor's shape.
    ///   - fanIn: the fan-in the scaled initialisers use (see ``distribution(fanIn:fanOut:)``).
    ///   - fanOut: the fan-out the scaled initialisers use.
    ///   - random: the backend the tensor is created on and the seeded stream it is drawn from.
    /// - Returns: a tensor on `random.backend` that requires gradients.
    /// - Throws: the backend's error when it cannot allocate or fill the tensor.
    public func makeParameter(_ shape: Shape, fanIn: Int, fanOut: Int, random: InitializationStream) throws -> Tensor {
        let tensor: Tensor
        switch self {
        case let .constant(value): tensor = try Tensor.full(value, shape: shape, on: random.backend)
        default:
            if let distribution = distribution(fanIn: fanIn, fanOut: fanOut) {
                tensor = try Tensor.random(shape, distribution, seed: random.seed,
                                           offset: random.nextOffset(count: shape.elementCount), on: random.backend)
            } else {
                tensor = try Tensor.zeros(shape, on: random.backend)
            }
        }
        return tensor.requiringGradient()
    }

    /// A short name with the values that matter: `he-normal`, `normal(σ=0.1)`, `constant(1.0)`.
    public var description: String {
        switch self {
        case .zeros: "zeros"
        case let .constant(value): "constant(\(value))"
        case let .normal(sigma): "normal(σ=\(sigma))"
        case let .uniform(low, high): "uniform(\(low), \(high))"
        case .xavierUniform: "xavier-uniform"
        case .xavierNormal: "xavier-normal"
        case .heNormal: "he-normal"
        case .heUniform: "he-uniform"
        case .lecunNormal: "lecun-normal"
        }
    }
}

/// The backend and seeded counter stream that a model's parameters are initialised from.
///
/// Each parameter takes the next disjoint range of Philox counters, so a model built twice
/// from the same seed has the same weights on every backend.
///
/// ```swift
/// let random = InitializationStream(seed: 42, on: try Backends.select("cpu"))
/// let first = try Dense(784, 100, activation: .relu, random: random)
/// let second = try Dense(100, 10, random: random)   // later counters: different numbers
/// ```
public final class InitializationStream {
    /// The backend every parameter drawn from the stream is created on.
    public let backend: any Backend
    /// The Philox seed of every draw.
    public let seed: UInt64
    private var offset: UInt64 = 0

    /// A stream at counter 0.
    ///
    /// - Parameters:
    ///   - seed: the Philox seed; the same seed gives the same parameters on every backend.
    ///   - backend: where the parameters are created.
    public init(seed: UInt64, on backend: any Backend) {
        self.seed = seed
        self.backend = backend
    }

    /// Reserves `count` counters and returns the first.
    ///
    /// The stream advances by `count` rounded up to a multiple of 4 (one Philox block yields
    /// four numbers), so ranges never share a block.
    ///
    /// - Parameter count: how many random numbers the caller will draw.
    /// - Returns: the counter offset to pass to `Tensor.random(_:_:seed:offset:on:)`.
    public func nextOffset(count: Int) -> UInt64 {
        defer { offset += UInt64((count + 3) / 4 * 4) }
        return offset
    }
}
