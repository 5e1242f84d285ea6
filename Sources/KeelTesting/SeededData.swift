import Foundation
import KeelCore
import KeelData

/// KeelData's `SplitMix64` (Steele, Lea & Flood 2014), seeded for tests: a tiny, fully specified
/// generator, so the same seed gives the same numbers everywhere.
///
/// The generator behind ``HostData``, ``GradientInput``'s factories and the checks' output
/// weights. Independent of `KeelCore`'s `Philox4x32` on purpose, so a bug in the library's
/// generator cannot hide behind data generated with it.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var generator: SplitMix64

    /// A generator for `seed`.
    ///
    /// - Parameter seed: any value; equal seeds give equal sequences.
    public init(seed: UInt64) { generator = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x2545_F491_4F6C_DD1D) }

    /// A generator whose first state is `state` itself (``HostData``'s seeding).
    init(state: UInt64) { generator = SplitMix64(seed: state) }

    /// The next 64 random bits (SplitMix64's increment and finaliser).
    public mutating func next() -> UInt64 { generator.next() }

    /// A Double uniformly distributed in `[0, 1)` with 53 random bits.
    public mutating func unit() -> Double { generator.nextUnitDouble() }

    /// A Double uniformly distributed in `range`.
    ///
    /// - Parameter range: the interval; the upper bound itself is (almost) never drawn.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * unit()
    }
}

/// A seed that depends only on `text` (64-bit FNV-1a), stable across runs and platforms,
/// unlike `hashValue`.
///
/// - Parameter text: the text to hash, for example a ``ConformanceCase`` name.
/// - Returns: the FNV-1a hash of `text`'s UTF-8 bytes.
public func stableSeed(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
}

/// Deterministic host data for tests: the same seed gives the same Float bits everywhere, and
/// these exact bytes are uploaded to every backend under test.
///
/// Every value is computed in Double and rounded to Float once. Each call advances the
/// generator, so the order of calls is part of what a seed means.
public struct HostData: Sendable {
    private var generator: SeededGenerator

    /// Data for `seed`.
    ///
    /// - Parameter seed: the generator's first state; equal seeds give equal data.
    public init(seed: UInt64) { generator = SeededGenerator(state: seed) }

    /// A Double uniform in `[0, 1)` with 53 random bits.
    public mutating func unit() -> Double { generator.unit() }

    /// An integer uniform in `range` (the standard library's `Int.random(in:using:)`).
    ///
    /// - Parameter range: the closed range to draw from.
    public mutating func integer(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }

    /// `count` values uniform in `[low, high)`.
    ///
    /// - Parameters:
    ///   - count: the number of values.
    ///   - low: the smallest value.
    ///   - high: the bound no value reaches (before rounding to Float).
    public mutating func uniform(_ count: Int, _ low: Float, _ high: Float) -> [Float] {
        (0..<count).map { _ in Float(Double(low) + (Double(high) - Double(low)) * unit()) }
    }

    /// `count` normal values (Box–Muller in Double; two draws per value).
    ///
    /// - Parameters:
    ///   - count: the number of values.
    ///   - mean: the distribution's mean.
    ///   - standardDeviation: the distribution's standard deviation.
    public mutating func normal(_ count: Int, mean: Float = 0, standardDeviation: Float = 1) -> [Float] {
        (0..<count).map { _ in
            let radius = (-2 * log(1 - unit())).squareRoot()
            return Float(Double(mean) + Double(standardDeviation) * radius * cos(2 * Double.pi * unit()))
        }
    }

    /// `count` multiples of `step` with integer multipliers in `range`: many ties, and sums that
    /// are exact in Float32 in any order while they stay below 2²⁴·step.
    ///
    /// - Parameters:
    ///   - count: the number of values.
    ///   - step: the spacing, ideally a power of two so every multiple is exact.
    ///   - range: the multipliers to draw from, uniformly.
    public mutating func quantized(_ count: Int, step: Float, _ range: ClosedRange<Int>) -> [Float] {
        (0..<count).map { _ in Float(integer(in: range)) * step }
    }

    /// `count` positive values whose logarithm is uniform: they span `[low, high)` in magnitude.
    ///
    /// - Parameters:
    ///   - count: the number of values.
    ///   - low: the smallest value, positive.
    ///   - high: the bound no value reaches (before rounding), larger than `low`.
    public mutating func logUniform(_ count: Int, _ low: Float, _ high: Float) -> [Float] {
        let (a, b) = (log(Double(low)), log(Double(high)))
        return (0..<count).map { _ in Float(exp(a + (b - a) * unit())) }
    }

    /// `count` values with random signs whose magnitudes span `[low, high)` logarithmically.
    ///
    /// - Parameters:
    ///   - count: the number of values.
    ///   - low: the smallest magnitude, positive.
    ///   - high: the bound no magnitude reaches (before rounding).
    public mutating func signedLogUniform(_ count: Int, _ low: Float, _ high: Float) -> [Float] {
        logUniform(count, low, high).map { generator.next() & 1 == 0 ? $0 : -$0 }
    }

    /// A random permutation of `0..<count` (the standard library's `shuffled(using:)`).
    ///
    /// - Parameter count: the number of elements.
    public mutating func permutation(_ count: Int) -> [Int] { Array(0..<count).shuffled(using: &generator) }
}
