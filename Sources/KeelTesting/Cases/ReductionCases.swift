import Foundation
import KeelCore

extension Conformance {
    static let reductionExtents: [ReductionExtents] = [
        ReductionExtents(outer: 1, length: 1, inner: 1),
        ReductionExtents(outer: 3, length: 7, inner: 1),
        ReductionExtents(outer: 2, length: 13, inner: 5),
        ReductionExtents(outer: 1, length: 65, inner: 1),
        ReductionExtents(outer: 7, length: 1, inner: 3),
        ReductionExtents(outer: 1, length: 31, inner: 129),
        ReductionExtents(outer: 128, length: 100, inner: 1),
        ReductionExtents(outer: 5, length: 1031, inner: 2),
        ReductionExtents(outer: 0, length: 5, inner: 2),
        ReductionExtents(outer: 4, length: 0, inner: 3),
    ]

    static func label(_ e: ReductionExtents) -> String { "\(e.outer)×\(e.length)×\(e.inner)" }

    /// `sum`, `max` and `argmax` over many extents (incl. length 0 for sum and max), and long sums.
    public static var reductionCases: [ConformanceCase] {
        var cases: [ConformanceCase] = []
        for operation in [ReductionOperation.sum, .max, .argmax] {
            for extents in reductionExtents where !(operation == .argmax && extents.length == 0) {
                cases.append(reductionCase(operation, extents, data: operation == .sum ? "uniform" : "ties"))
            }
        }
        // Long sums: accumulation error at 10⁵ on positive data, and dyadic data whose exact sum any
        // order must reproduce (the accumulation bound of a long mixed-sign sum could not see a lost element).
        cases.append(reductionCase(.sum, ReductionExtents(outer: 1, length: 100_003, inner: 1), data: "positive"))
        cases.append(reductionCase(.sum, ReductionExtents(outer: 2, length: 50_001, inner: 3), data: "dyadic"))
        cases.append(reductionCase(.max, ReductionExtents(outer: 1, length: 100_003, inner: 1), data: "ties"))
        cases.append(reductionCase(.argmax, ReductionExtents(outer: 1, length: 100_003, inner: 1), data: "ties"))
        cases.append(reductionCase(.max, ReductionExtents(outer: 3, length: 17, inner: 2), data: "negative"))
        cases.append(reductionCase(.argmax, ReductionExtents(outer: 3, length: 17, inner: 2), data: "negative"))
        return cases
    }

    static func reductionCase(_ operation: ReductionOperation, _ extents: ReductionExtents, data: String) -> ConformanceCase {
        let text = "\(operation) \(label(extents)) \(data) data"
        return ConformanceCase(family: "reduce", name: "reduce \(text)") { h in
            let count = extents.inputCount
            let x: [Float] = switch data {
            case "positive": h.data.uniform(count, 0, 1)
            case "dyadic": h.data.quantized(count, step: 1.0 / 16, -16...16)
            case "ties": h.data.quantized(count, step: 0.5, -4...4)
            case "negative": h.data.uniform(count, -1e4, -1e3)
            default: h.data.uniform(count, -1, 1)
            }
            let tx = try h.input(x)
            let ty = try h.output(count: extents.outputCount)
            try h.run { backend, side in try backend.reduce(operation, input: tx[side], output: ty[side], extents: extents) }
            let tolerance: Tolerance
            if operation == .sum && data != "dyadic" {
                let magnitudes = try h.onReference([x.magnitudes], output: [Float](repeating: 0, count: ty.count)) {
                    try $0.reduce(.sum, input: $1[0], output: $2, extents: extents)
                }
                tolerance = .accumulation(length: extents.length, magnitudes: magnitudes)
            } else {
                tolerance = .exact
            }
            return [try h.compare("reduce", text, ty, shape: [extents.outer, extents.inner], tolerance: tolerance)]
        }
    }

    static let softmaxExtents: [(ReductionExtents, String)] = [
        (ReductionExtents(outer: 1, length: 3, inner: 1), "normal"),
        (ReductionExtents(outer: 1, length: 1, inner: 1), "normal"),
        (ReductionExtents(outer: 4, length: 10, inner: 1), "normal"),
        (ReductionExtents(outer: 2, length: 7, inner: 3), "normal"),
        (ReductionExtents(outer: 3, length: 1000, inner: 1), "normal"),
        (ReductionExtents(outer: 2, length: 5, inner: 4), "large"),
        (ReductionExtents(outer: 16, length: 33, inner: 1), "large"),
        (ReductionExtents(outer: 3, length: 4, inner: 1), "extreme"),
        (ReductionExtents(outer: 128, length: 10, inner: 1), "normal"),
        (ReductionExtents(outer: 0, length: 4, inner: 2), "normal"),
        (ReductionExtents(outer: 2, length: 0, inner: 3), "normal"),
    ]

    /// Softmax and log-softmax: inner > 1, length 1, long rows, large logits (exp would overflow
    /// without the max shift), rows spanning 10⁴ (underflowing probabilities), empty inputs.
    public static var softmaxCases: [ConformanceCase] {
        softmaxExtents.flatMap { extents, data in
            [false, true].map { logarithmic in
                let text = "\(logarithmic ? "logSoftmax" : "softmax") \(label(extents)) \(data) logits"
                return ConformanceCase(family: "softmax", name: text) { h in
                    let count = extents.inputCount
                    let x: [Float] = switch data {
                    case "large": h.data.uniform(count, -40, 40).map { $0 + 1000 }
                    case "extreme": (0..<count).map { [Float(-5000), 5000, 4990, 0][$0 % 4] }
                    default: h.data.normal(count, standardDeviation: 3)
                    }
                    let tx = try h.input(x)
                    let ty = try h.output(count: count)
                    try h.run { backend, side in
                        try backend.softmax(input: tx[side], output: ty[side], extents: extents, logarithmic: logarithmic)
                    }
                    let bounds = softmaxBounds(x, extents, logarithmic: logarithmic)
                    let rule = logarithmic ? "u·(2|xᵢ−m| + 2|ln Σ| + 4√L + 16) + 2 ulp" : "pᵢ·u·(2|xᵢ−m| + 4√L + 16)"
                    return [try h.compare(logarithmic ? "logSoftmax" : "softmax", label(extents), ty,
                                          shape: [extents.outer, extents.length, extents.inner], tolerance: .elementwise(bounds, rule))]
                }
            }
        }
    }

    /// Per-element bounds for softmax, computed on the host in Double: the rounding of `xᵢ − m`
    /// (amplified by exp), a few ulps of exp, the length-`L` sum, the division or logarithm.
    /// Elements whose `xᵢ − m` is not finite get 0: their expected values are exact (0, −∞ or NaN).
    static func softmaxBounds(_ x: [Float], _ e: ReductionExtents, logarithmic: Bool) -> [Double] {
        let u = unitRoundoff
        var bounds = [Double](repeating: 0, count: x.count)
        guard e.length > 0 else { return bounds }
        let sumTerm = 4 * Double(e.length).squareRoot() + 16
        for o in 0..<e.outer {
            for i in 0..<e.inner {
                let indices = (0..<e.length).map { (o * e.length + $0) * e.inner + i }
                let m = indices.map { Double(x[$0]) }.max()!
                let logSum = log(indices.reduce(0.0) { $0 + exp(Double(x[$1]) - m) })
                for index in indices {
                    let d = Double(x[index]) - m
                    // −∞ in a finite line: exactly 0 (or −∞ for log-softmax), matched exactly.
                    guard d.isFinite else { continue }
                    if logarithmic {
                        let y = d - logSum
                        bounds[index] = u * (2 * d.magnitude + 2 * logSum.magnitude + sumTerm) + 2 * ulp(Float(y))
                    } else {
                        bounds[index] = exp(d - logSum) * u * (2 * d.magnitude + sumTerm)
                    }
                }
            }
        }
        return bounds
    }
}
