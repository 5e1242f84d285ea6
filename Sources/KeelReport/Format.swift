import Foundation

/// How the report writes numbers: fixed decimals in the usual ranges, `m×10ⁿ` outside them
/// (never `1e-07`), thousands separated, durations in human units.
enum Format {
    /// `value` with `digits` significant digits: `0.9731`, `123.5`, `4.2×10⁻⁶`; `NaN`, `∞`.
    /// `trimmed` drops trailing zeros (`3`, not `3.000`).
    static func number(_ value: Double, digits: Int = 4, trimmed: Bool = false) -> String {
        guard value.isFinite else { return nonFinite(value) }
        guard value != 0 else { return "0" }
        let magnitude = Int(floor(log10(abs(value))))
        if magnitude < -3 || magnitude >= 6 { return scientific(value, digits: digits) }
        let text = String(format: "%.\(max(0, digits - 1 - magnitude))f", value)
        return trimmed ? trimmingZeros(text) : text
    }

    /// The shortest text that reads back as `value` (`0.001`, `0.9`), in `m×10ⁿ` form for
    /// very small or large values (`1×10⁻⁷`): for settings, where the exact value matters.
    static func exact<Value: BinaryFloatingPoint & LosslessStringConvertible>(_ value: Value) -> String {
        guard value.isFinite else { return nonFinite(Double(value)) }
        let text = "\(value)"
        guard let exponentStart = text.firstIndex(of: "e") else {
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        var mantissa = String(text[..<exponentStart])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        return mantissa + "×10" + superscript(Int(text[text.index(after: exponentStart)...]) ?? 0)
    }

    /// `fraction` as a percentage with `decimals` decimals: `97.3%`.
    static func percent(_ fraction: Double, decimals: Int = 1) -> String {
        guard fraction.isFinite else { return nonFinite(fraction) }
        return String(format: "%.\(max(0, decimals))f%%", fraction * 100)
    }

    /// `4,000`.
    static func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (value < 0 ? "−" : "") + grouped
    }

    /// `850 ms`, `12.3 s`, `4 min 05 s`, `1 h 02 min`.
    static func duration(seconds: Double) -> String {
        guard seconds.isFinite else { return nonFinite(seconds) }
        if seconds < 1 { return String(format: "%.0f ms", seconds * 1000) }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d min", whole / 3600, whole % 3600 / 60)
    }

    /// `mantissa×10ⁿ` with `digits` significant digits.
    static func scientific(_ value: Double, digits: Int) -> String {
        var exponent = Int(floor(log10(abs(value))))
        var mantissa = value / pow(10, Double(exponent))
        // Rounding can carry the mantissa to 10 (9.9996 → "10.00").
        if abs((mantissa * pow(10, Double(digits - 1))).rounded()) >= pow(10, Double(digits)) {
            exponent += 1
            mantissa /= 10
        }
        return trimmingZeros(String(format: "%.\(max(0, digits - 1))f", mantissa)) + "×10" + superscript(exponent)
    }

    /// `2.500` → `2.5`, `3.00` → `3`.
    private static func trimmingZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed.removeLast() }
        if trimmed.hasSuffix(".") { trimmed.removeLast() }
        return String(trimmed)
    }

    /// `−7` as `⁻⁷`.
    static func superscript(_ exponent: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (exponent < 0 ? "⁻" : "") + String(exponent.magnitude).map { digits[Int(String($0))!] }
    }

    private static func nonFinite(_ value: Double) -> String {
        value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞")
    }
}
