import Foundation
import KeelCore

/// The unit roundoff of Float32, `u = 2⁻²⁴` (half an ulp of 1).
let unitRoundoff: Double = 0x1p-24

/// The spacing of Float32 values at `x` (the smallest subnormal at 0; 0 for non-finite values).
///
/// - Parameter x: the value; its sign does not matter.
/// - Returns: `x.magnitude.ulp` in Double.
func ulp(_ x: Float) -> Double { x.isFinite ? Double(x.magnitude.ulp) : 0 }

/// How far a backend's result may be from the reference's, element by element.
///
/// Rules (all documented in the conformance report's messages):
/// - ``exact``: equal as Float values (`+0 == −0`), NaN matches NaN, infinities must match.
/// - ``bitExact``: identical bit patterns (uploads, downloads, `uniform` and `bernoulli` fills).
/// - ``ulps(_:absolute:)``: `n·ulp(expected) + absolute`, for element-wise functions.
/// - ``accumulation(length:magnitudes:constant:)``: `c·u·(√L + 1)·Σ|terms| + ulp(expected)` for a
///   sum of `L` products: the probabilistic error growth of a length-`L` Float32 accumulation
///   (the worst-case bound `L·u` would hide real bugs at large `L`).
///
/// Every rule except the exact ones adds the smallest normal Float (1.2e-38), so backends that
/// flush subnormal results to zero pass. Non-finite expected values must be matched exactly.
///
/// ```swift
/// let comparison = Comparison(operation: "exp", descriptor: "3 values", got: got, expected: expected,
///                             count: 3, tolerance: .ulps(4))
/// ```
public struct Tolerance: Sendable, CustomStringConvertible {
    /// The rule in words, shown in every ``Comparison``'s message (for example `4 ulp`).
    public let description: String
    /// Whether values must have identical bit patterns (then the bound is ignored).
    public let bitwise: Bool
    private let rule: @Sendable (_ index: Int, _ expected: Float) -> Double

    /// A tolerance with its own rule.
    ///
    /// - Parameters:
    ///   - description: the rule in words, for reports.
    ///   - bitwise: whether values must have identical bit patterns.
    ///   - bound: the largest allowed `|got − expected|`, given the element's index and its
    ///     expected value; ignored when `bitwise` is true.
    public init(_ description: String, bitwise: Bool = false, bound: @escaping @Sendable (_ index: Int, _ expected: Float) -> Double) {
        self.description = description
        self.bitwise = bitwise
        rule = bound
    }

    /// The largest allowed `|got − expected|` at `index`.
    ///
    /// - Parameters:
    ///   - index: the element's index in the output.
    ///   - expected: the reference's value there.
    public func bound(at index: Int, expected: Float) -> Double { rule(index, expected) }

    /// Equal as Float values: `+0 == −0`, NaN matches NaN, infinities must match.
    public static let exact = Tolerance("exact") { _, _ in 0 }

    /// Identical bit patterns, for operations that only move data (uploads, downloads, copies,
    /// `fill`, and the `uniform` and `bernoulli` random fills).
    public static let bitExact = Tolerance("bit-exact", bitwise: true) { _, _ in 0 }

    /// `n·ulp(expected) + absolute`, for element-wise functions.
    ///
    /// - Parameters:
    ///   - n: the number of units in the last place of the expected value.
    ///   - absolute: an absolute allowance added to every element, for results that may cancel
    ///     against a larger term (for example `2·u` for `ln x` near 1).
    public static func ulps(_ n: Double, absolute: Double = 0) -> Tolerance {
        let floor = Double(Float.leastNormalMagnitude)
        let text = absolute == 0 ? "\(n) ulp" : "\(n) ulp + \(String(format: "%.2g", absolute))"
        return Tolerance(text) { _, expected in n * ulp(expected) + absolute + floor }
    }

    /// `constant·u·(√length + 1)·magnitudes[i] + ulp(expected)`, where `magnitudes[i]` is the sum of the
    /// absolute values of the terms accumulated into element `i` (usually the reference's result
    /// for the same operation on `|inputs|`).
    ///
    /// - Parameters:
    ///   - length: `L`, the number of terms summed into each element (GEMM's `k`, a reduction's
    ///     length, a convolution's `C/groups·KH·KW`).
    ///   - magnitudes: `Σ|terms|` per element, usually from ``Harness/onReference(_:output:_:)``;
    ///     missing elements count as 0.
    ///   - constant: `c`; the default 4 leaves room for backends that sum in a different order.
    public static func accumulation(length: Int, magnitudes: [Float], constant: Double = 4) -> Tolerance {
        let factor = constant * unitRoundoff * (Double(max(length, 0)).squareRoot() + 1)
        let floor = Double(Float.leastNormalMagnitude)
        return Tolerance("\(Int(constant))·u·(√L+1)·Σ|terms| + 1 ulp with L = \(length)") { index, expected in
            factor * Double(index < magnitudes.count ? magnitudes[index].magnitude : 0) + ulp(expected) + floor
        }
    }

    /// Precomputed per-element bounds (plus the smallest normal), described by `description`.
    ///
    /// - Parameters:
    ///   - bounds: the largest allowed `|got − expected|` of each element; missing elements get 0.
    ///   - description: the rule in words, for reports.
    public static func elementwise(_ bounds: [Double], _ description: String) -> Tolerance {
        let floor = Double(Float.leastNormalMagnitude)
        return Tolerance(description) { index, _ in (index < bounds.count ? bounds[index] : 0) + floor }
    }
}

/// The outcome of comparing one output of a backend with the expected values.
///
/// The first `count` elements are checked against the tolerance; elements after them (the guard
/// region the harness appends to every buffer) must be unchanged, which catches out-of-bounds writes.
///
/// Its ``description`` is the report line: the operation, whether and how it failed, and the
/// worst element with its error and bound.
public struct Comparison: Sendable, CustomStringConvertible {
    /// The operation compared, for example `gemm`.
    public let operation: String
    /// The configuration compared (sizes, options).
    public let descriptor: String
    /// The ``Tolerance``'s description.
    public let tolerance: String
    /// The number of elements checked against the tolerance.
    public let count: Int
    /// Elements outside the tolerance.
    public let failures: Int
    /// Guard elements after `count` that changed (out-of-bounds writes).
    public let guardViolations: Int
    /// Set when the result had the wrong number of elements (checked before values).
    public let shapeMismatch: String?
    /// The element with the largest error relative to its bound; nil when nothing was checked.
    public let worstIndex: Int?
    /// ``worstIndex`` as coordinates in the output's shape, when a shape was given and fits.
    public let worstCoordinates: [Int]?
    /// The backend's value at ``worstIndex``.
    public let worstValue: Float
    /// The expected value at ``worstIndex``.
    public let worstExpected: Float
    /// `|got − expected|` at ``worstIndex`` (infinite for a NaN or infinity mismatch).
    public let worstAbsoluteError: Double
    /// ``worstAbsoluteError`` divided by `|expected|`.
    public let worstRelativeError: Double
    /// The tolerance's bound at ``worstIndex``.
    public let worstBound: Double

    /// Whether the sizes matched, every element was within the tolerance and the guard is untouched.
    public var passed: Bool { shapeMismatch == nil && failures == 0 && guardViolations == 0 }

    /// Compares `got` with `expected`; both hold `count` checked elements followed by guard elements.
    ///
    /// - Parameters:
    ///   - operation: the operation's name in the report.
    ///   - descriptor: the configuration in the report.
    ///   - got: the backend's values, guard included.
    ///   - expected: the reference's values, guard included; a different length than `got`
    ///     (or shorter than `count`) is a ``shapeMismatch``.
    ///   - count: the number of elements checked against `tolerance`; the rest must be
    ///     bit-identical.
    ///   - shape: the output's shape, to report the worst element by coordinates.
    ///   - tolerance: the rule for the checked elements.
    public init(operation: String, descriptor: String, got: [Float], expected: [Float], count: Int,
                shape: Shape? = nil, tolerance: Tolerance) {
        self.operation = operation
        self.descriptor = descriptor
        self.tolerance = tolerance.description
        self.count = count
        guard got.count == expected.count, got.count >= count else {
            shapeMismatch = "got \(got.count) elements, expected \(expected.count)"
            (failures, guardViolations, worstIndex, worstCoordinates) = (0, 0, nil, nil)
            (worstValue, worstExpected, worstAbsoluteError, worstRelativeError, worstBound) = (.nan, .nan, .infinity, .infinity, 0)
            return
        }
        shapeMismatch = nil
        var failures = 0
        var worst: (index: Int, ratio: Double, error: Double, bound: Double)? = nil
        for index in 0..<count {
            let bound = tolerance.bound(at: index, expected: expected[index])
            let (error, ok) = Self.check(got[index], expected[index], bound: bound, bitwise: tolerance.bitwise)
            if !ok { failures += 1 }
            let ratio = ok ? (bound > 0 ? error / bound : 0) : (bound > 0 && error.isFinite ? max(error / bound, 1) : .infinity)
            if worst == nil || ratio > worst!.ratio { worst = (index, ratio, error, bound) }
        }
        var guardViolations = 0
        for index in count..<got.count where got[index].bitPattern != expected[index].bitPattern {
            guardViolations += 1
        }
        self.failures = failures
        self.guardViolations = guardViolations
        if let worst {
            worstIndex = worst.index
            worstCoordinates = shape.flatMap { $0.elementCount == count ? Self.coordinates(of: worst.index, in: $0) : nil }
            worstValue = got[worst.index]
            worstExpected = expected[worst.index]
            worstAbsoluteError = worst.error
            worstRelativeError = worst.error / Double(expected[worst.index].magnitude)
            worstBound = worst.bound
        } else {
            (worstIndex, worstCoordinates) = (nil, nil)
            (worstValue, worstExpected, worstAbsoluteError, worstRelativeError, worstBound) = (0, 0, 0, 0, 0)
        }
    }

    /// The error of one element and whether it is within `bound`.
    static func check(_ got: Float, _ expected: Float, bound: Double, bitwise: Bool) -> (error: Double, ok: Bool) {
        if got.isNaN || expected.isNaN {
            let ok = got.isNaN && expected.isNaN
            return (ok ? 0 : .infinity, ok)
        }
        if bitwise {
            let ok = got.bitPattern == expected.bitPattern
            return (ok ? 0 : (got == expected ? .infinity : (Double(got) - Double(expected)).magnitude), ok)
        }
        if got.isInfinite || expected.isInfinite {
            let ok = got == expected
            return (ok ? 0 : .infinity, ok)
        }
        let error = (Double(got) - Double(expected)).magnitude
        return (error, error <= bound)
    }

    static func coordinates(of index: Int, in shape: Shape) -> [Int] {
        var remainder = index
        return shape.strides.map { stride in
            defer { remainder %= Swift.max(stride, 1) }
            return remainder / Swift.max(stride, 1)
        }
    }

    /// One line: `operation descriptor:` then the failures or `passed`, guard violations, and
    /// the worst element with its value, expected value, errors and bound.
    public var description: String {
        let head = "\(operation) \(descriptor)"
        if let shapeMismatch { return "\(head): shape mismatch, \(shapeMismatch)" }
        var text = head + ": "
        if failures > 0 {
            text += "\(failures) of \(count) elements outside tolerance (\(tolerance)); "
        } else if guardViolations == 0 {
            text += "passed (\(tolerance)); "
        }
        if guardViolations > 0 {
            text += "wrote \(guardViolations) element(s) past the end of the output (\(count) elements); "
        }
        if let worstIndex {
            let place = worstCoordinates.map { " \($0)" } ?? ""
            text += "worst at index \(worstIndex)\(place): got \(worstValue), expected \(worstExpected), "
            text += "abs error \(String(format: "%.3g", worstAbsoluteError)), rel error \(String(format: "%.3g", worstRelativeError)), "
            text += "bound \(String(format: "%.3g", worstBound))"
        } else {
            text += "no elements"
        }
        return text
    }
}
