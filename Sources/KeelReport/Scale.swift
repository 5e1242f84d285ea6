import Foundation

/// A chart axis: the range it covers, where a value falls on it, and its ticks with labels at
/// round values (steps of 1, 2, 2.5 or 5 times a power of ten; decades on a log axis).
struct Scale: Sendable {
    /// How tick labels read.
    enum Style: Sendable {
        case plain
        /// Fractions written as percentages (`0.95` → `95%`).
        case percent
        /// Whole numbers only (epochs): ticks never fall between integers.
        case integer
    }

    struct Tick: Sendable {
        var value: Double
        var label: String
    }

    let lower: Double
    let upper: Double
    let isLogarithmic: Bool
    let ticks: [Tick]

    /// Where `value` lies: 0 at ``lower``, 1 at ``upper`` (outside for values beyond them).
    func fraction(_ value: Double) -> Double {
        isLogarithmic
            ? (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
            : (value - lower) / (upper - lower)
    }

    /// A logarithmic scale when the finite values are all positive and span at least two
    /// decades (a loss that falls from 1 to 0.001 is flat on a linear axis), else linear.
    static func automatic(covering values: [Double], style: Style = .plain) -> Scale {
        let finite = values.filter(\.isFinite)
        if let low = finite.min(), let high = finite.max(), low > 0, high / low >= 100 {
            return logarithmic(from: low, to: high)
        }
        return linear(covering: values, style: style)
    }

    /// A linear scale from a round value at or below the smallest finite value to one at or above
    /// the largest, with about `tickCount` ticks, kept within `limits` when given.
    static func linear(covering values: [Double], style: Style = .plain, limits: ClosedRange<Double>? = nil,
                       tickCount: Int = 6) -> Scale {
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if low == high {
            let pad = style == .integer ? 1 : (low == 0 ? 1 : abs(low) * 0.1)
            low -= pad
            high += pad
        }
        var step = niceStep((high - low) / Double(max(tickCount - 1, 1)))
        if style == .integer { step = max(1, step.rounded()) }
        var lower = floor(low / step + 1e-9) * step
        var upper = ceil(high / step - 1e-9) * step
        if let limits {
            lower = max(lower, limits.lowerBound)
            upper = min(upper, limits.upperBound)
        }
        let decimals = decimalsNeeded(for: step)
        let first = Int(ceil(lower / step - 1e-9)), last = Int(floor(upper / step + 1e-9))
        let ticks = (first...max(first, last)).map { index -> Tick in
            let value = Double(index) * step
            return Tick(value: value, label: label(value, step: step, decimals: decimals, style: style))
        }
        return Scale(lower: lower, upper: upper, isLogarithmic: false, ticks: ticks)
    }

    /// A log₁₀ scale from the decade at or below `low` to the one at or above `high` (both > 0).
    static func logarithmic(from low: Double, to high: Double) -> Scale {
        let first = Int(floor(log10(low) + 1e-9))
        let last = max(Int(ceil(log10(high) - 1e-9)), first + 1)
        let every = max(1, (last - first + 7) / 8)
        let ticks = stride(from: first, through: last, by: every).map { exponent in
            Tick(value: pow(10, Double(exponent)),
                 label: (-3...5).contains(exponent) ? Format.number(pow(10, Double(exponent)), digits: 1) : "10" + Format.superscript(exponent))
        }
        return Scale(lower: pow(10, Double(first)), upper: pow(10, Double(last)), isLogarithmic: true, ticks: ticks)
    }

    /// 1, 2, 2.5 or 5 times a power of ten, the smallest at or above `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough.isFinite, rough > 0 else { return 1 }
        let power = pow(10, floor(log10(rough)))
        let multiple = [1, 2, 2.5, 5, 10].first { $0 * power >= rough * (1 - 1e-9) } ?? 10
        return multiple * power
    }

    /// The decimals that write every multiple of `step` exactly (2.5 → 1, 0.02 → 2).
    private static func decimalsNeeded(for step: Double) -> Int {
        for decimals in 0...15 {
            let scaled = step * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) < 1e-6 * scaled { return decimals }
        }
        return 15
    }

    private static func label(_ value: Double, step: Double, decimals: Int, style: Style) -> String {
        if abs(value) < step * 1e-6 { return style == .percent ? "0%" : "0" }
        switch style {
        case .percent:
            return Format.percent(value, decimals: max(0, decimals - 2))
        case .plain, .integer:
            // Tiny steps or huge values: m×10ⁿ with the digits that tell ticks apart.
            if step < 1e-4 || abs(value) >= 1e6 {
                let significant = Int(floor(log10(abs(value)))) - Int(floor(log10(step))) + 1
                return Format.scientific(value, digits: max(1, min(significant, 6)))
            }
            return String(format: "%.\(decimals)f", value)
        }
    }
}
