import Foundation

/// The Philox4x32-10 counter-based generator (Salmon et al., SC'11), as used by JAX and cuRAND.
///
/// Each call maps a 128-bit counter and a 64-bit key to four independent 32-bit words, so
/// random numbers can be generated in any order, on any device, with the same result.
///
/// ```swift
/// let generator = Philox4x32(seed: 42)
/// let value = generator.sample(.uniform(low: -1, high: 1), at: 0)   // element 0 of any fill with seed 42
/// ```
public struct Philox4x32: Sendable {
    /// The 64-bit key (the seed).
    public var key: (UInt32, UInt32)

    /// Creates the generator for `seed`.
    /// - Parameter seed: The 64-bit key: low 32 bits first, then high.
    public init(seed: UInt64) {
        key = (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
    }

    /// The four words for counter `(index, 0)`: ten rounds of the Philox-4×32 bijection.
    /// - Parameter index: The low 64 bits of the 128-bit counter.
    @inlinable
    public func words(at index: UInt64) -> (UInt32, UInt32, UInt32, UInt32) {
        var counter = (UInt32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: index >> 32), UInt32(0), UInt32(0))
        var key = self.key
        for round in 0..<10 {
            if round > 0 {
                key.0 &+= 0x9E37_79B9
                key.1 &+= 0xBB67_AE85
            }
            let product0 = UInt64(0xD251_1F53) &* UInt64(counter.0)
            let product1 = UInt64(0xCD9E_8D57) &* UInt64(counter.2)
            counter = (
                UInt32(truncatingIfNeeded: product1 >> 32) ^ counter.1 ^ key.0,
                UInt32(truncatingIfNeeded: product1),
                UInt32(truncatingIfNeeded: product0 >> 32) ^ counter.3 ^ key.1,
                UInt32(truncatingIfNeeded: product0))
        }
        return counter
    }

    /// A uniform Float in `[0, 1)` from the top 24 bits of a word (exact in Float32).
    /// - Parameter word: A 32-bit random word.
    @inlinable
    public static func unitFloat(_ word: UInt32) -> Float {
        Float(word >> 8) * 0x1p-24
    }

    /// The value of `distribution` at element `index`, computed in Float32 exactly as the
    /// device kernels do.
    /// - Parameters:
    ///   - distribution: What to draw (formulas in ``RandomDistribution``).
    ///   - index: The element's counter (`offset + i` in a fill).
    @inlinable
    public func sample(_ distribution: RandomDistribution, at index: UInt64) -> Float {
        let words = words(at: index)
        switch distribution {
        case let .uniform(low, high):
            return low + (high - low) * Self.unitFloat(words.0)
        case let .normal(mean, standardDeviation):
            let radius = (-2 * log(1 - Self.unitFloat(words.0))).squareRoot()
            return mean + standardDeviation * radius * cos(2 * Float.pi * Self.unitFloat(words.1))
        case let .bernoulli(probability):
            return Self.unitFloat(words.0) < probability ? 1 : 0
        }
    }
}
