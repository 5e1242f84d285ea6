/// `log` and `exp` in Double from additions, multiplications and divisions only, so the
/// results are bit-identical on every platform (the C library's are not: they differ in the
/// last place between glibc, musl and Darwin). Accurate to a few units in the last place.
public enum PortableMath {
    private static let ln2High = 0x1.62E42FEE00000p-1  // the leading bits of ln 2, exact products with small integers
    private static let ln2Low = 0x1.A39EF35793C76p-33  // ln 2 − ln2High

    /// The natural logarithm of `x`: an `atanh` series on the significand plus the exponent
    /// times ln 2.
    ///
    /// - Parameter x: any Double; positive finite values give finite results.
    /// - Returns: `ln x`; NaN for negative `x` or NaN, −∞ for 0, +∞ for +∞.
    public static func log(_ x: Double) -> Double {
        guard x > 0 else { return x == 0 ? -.infinity : .nan }
        guard x.isFinite else { return x }
        // x = m · 2^e with m in [√½, √2); log m = 2 atanh(s), s = (m − 1)/(m + 1), |s| < 0.172.
        var exponent = Double(x.exponent)
        var m = x.significand
        if m > 2.0.squareRoot() {
            m /= 2
            exponent += 1
        }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var series = 0.0
        for power in stride(from: 25, through: 3, by: -2) { series = (series + 1 / Double(power)) * s2 }
        return exponent * ln2High + (exponent * ln2Low + 2 * s * (1 + series))
    }

    /// e raised to `x`: `x = k·ln 2 + r`, `eʳ` by its Taylor series, scaled by `2ᵏ`
    /// (subnormal results included).
    ///
    /// - Parameter x: any Double.
    /// - Returns: `eˣ`; 0 at or below −745.2 (and for −∞), +∞ from 709.8, NaN for NaN.
    public static func exp(_ x: Double) -> Double {
        guard x.isFinite else { return x.isNaN ? x : (x > 0 ? x : 0) }
        guard x < 709.8 else { return .infinity }
        guard x > -745.2 else { return 0 }
        // x = k ln 2 + r with |r| ≤ ½ ln 2; e^r by its Taylor series to the 17th power.
        let k = (x / (ln2High + ln2Low)).rounded()
        let r = (x - k * ln2High) - k * ln2Low
        var series = 1.0
        for power in stride(from: 17, through: 1, by: -1) { series = 1 + series * r / Double(power) }
        // Scale in two steps so subnormal results are not lost.
        let half = (k / 2).rounded(.down)
        return series * Double(sign: .plus, exponent: Int(half), significand: 1)
            * Double(sign: .plus, exponent: Int(k - half), significand: 1)
    }
}
