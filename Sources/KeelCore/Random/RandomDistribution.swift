/// What ``Backend/randomFill(_:seed:offset:output:count:)`` draws.
///
/// Element `i` of a fill with seed `s` and offset `o` is a pure function of `(s, o + i)`
/// through ``Philox4x32``, so every backend produces the same numbers for the same seed.
public enum RandomDistribution: Hashable, Sendable {
    /// Uniform on `[low, high)`: `low + (high − low)·u` with `u = (word₀ >> 8)·2⁻²⁴`.
    case uniform(low: Float, high: Float)
    /// Normal by Box–Muller: `mean + std·√(−2 ln(1 − u₀))·cos(2π·u₁)`, `u` from words 0 and 1.
    case normal(mean: Float, standardDeviation: Float)
    /// `1` with probability `p` (when `u₀ < p`), else `0`: dropout masks.
    case bernoulli(probability: Float)
}
