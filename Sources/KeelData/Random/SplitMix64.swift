/// SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): a small seeded generator whose output is
/// the same on every platform and Swift version.
///
/// KeelData draws every random choice (shuffles, splits, synthetic data) from it through
/// ``next(below:)``, ``nextUnitDouble()`` and ``nextNormal()``, not through the standard
/// library's `shuffled(using:)` or `random(in:using:)`, whose algorithms may change.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state; advanced by the golden-ratio increment on each draw.
    public private(set) var state: UInt64

    /// A generator whose first state is `seed`.
    ///
    /// - Parameter seed: any value; equal seeds give equal sequences.
    public init(seed: UInt64) { state = seed }

    /// A generator for a stream derived from `seed` and `stream` (for example an epoch
    /// number), independent of the plain `seed` stream.
    ///
    /// - Parameters:
    ///   - seed: the base seed.
    ///   - stream: the stream number; each gives a different sequence for the same seed.
    public init(seed: UInt64, stream: UInt64) {
        var seedMixer = SplitMix64(seed: seed)
        var streamMixer = SplitMix64(seed: ~stream)
        state = seedMixer.next() ^ streamMixer.next()
    }

    /// The next 64 random bits: the state advanced by `0x9E3779B97F4A7C15`, then mixed
    /// (SplitMix64's finaliser).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound`, without modulo bias (Lemire's method).
    ///
    /// - Parameter bound: the exclusive upper bound; positive (a precondition).
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "next(below:) needs a positive bound, got \(bound)")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A uniform Double in `[0, 1)` with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard normal sample (Marsaglia's polar method, with ``PortableMath/log(_:)`` so the
    /// result is bit-identical on every platform).
    public mutating func nextNormal() -> Double {
        while true {
            let u = 2 * nextUnitDouble() - 1
            let v = 2 * nextUnitDouble() - 1
            let s = u * u + v * v
            if s > 0, s < 1 { return u * (-2 * PortableMath.log(s) / s).squareRoot() }
        }
    }

    /// Shuffles `elements` in place (Fisher–Yates, drawing with ``next(below:)``).
    ///
    /// - Parameter elements: the array to shuffle; the same seed gives the same order everywhere.
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for index in stride(from: elements.count - 1, to: 0, by: -1) {
            elements.swapAt(index, next(below: index + 1))
        }
    }

    /// A random permutation of `0..<count` (``shuffle(_:)`` of `0..<count`).
    ///
    /// - Parameter count: the number of elements, at least 0.
    public mutating func permutation(of count: Int) -> [Int] {
        var indices = Array(0..<count)
        shuffle(&indices)
        return indices
    }
}
