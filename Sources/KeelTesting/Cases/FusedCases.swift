import Foundation
import KeelCore

extension Conformance {
    /// Cosine-distance configurations: P = 1 and P = 10, K = 10, n = 1, m = 0, and inputs that equal
    /// an anchor (the ε clamp), zero input rows and zero anchor rows (the norm floor).
    static let cosineConfigurations: [(CosineDistanceProduct, String)] = [
        (CosineDistanceProduct(rows: 4, features: 10, classes: 3, anchorsPerClass: 1), "random"),
        (CosineDistanceProduct(rows: 5, features: 16, classes: 10, anchorsPerClass: 10), "random"),
        (CosineDistanceProduct(rows: 6, features: 7, classes: 2, anchorsPerClass: 3), "coincident and zero rows"),
        (CosineDistanceProduct(rows: 3, features: 1, classes: 2, anchorsPerClass: 2), "random"),
        (CosineDistanceProduct(rows: 5, features: 9, classes: 3, anchorsPerClass: 2, epsilon: 1e-3), "coincident and zero rows"),
        (CosineDistanceProduct(rows: 0, features: 8, classes: 2, anchorsPerClass: 2), "random"),
        (CosineDistanceProduct(rows: 64, features: 100, classes: 10, anchorsPerClass: 10), "random"),
    ]

    /// The anchor classifier's fused cosine-distance product.
    public static var cosineCases: [ConformanceCase] {
        cosineConfigurations.map { d, data in
            let text = "\(d) \(data)"
            return ConformanceCase(family: "cosine", name: "cosineDistanceProduct \(text)") { h in
                let (m, n) = (d.rows, d.features)
                var x = h.data.normal(m * n)
                var anchors = h.data.normal(d.anchorCount * n)
                if data != "random" {
                    // Row 0 equals anchor 1, row 1 is zero, row 2 is a positive multiple of anchor 0; anchor 2 is zero.
                    for j in 0..<n {
                        x[j] = anchors[n + j]
                        x[n + j] = 0
                        x[2 * n + j] = 4 * anchors[j]
                        anchors[2 * n + j] = 0
                    }
                }
                return try cosineComparisons(d, text, input: x, anchors: anchors, h)
            }
        }
    }

    /// Backward-pass configurations: odd sizes, enough rows × anchors for the CPU backend to
    /// split the work over threads, coincident and zero rows (clamped terms pass no gradient),
    /// each gradient alone, and no rows (the anchor gradient is zero).
    static let cosineBackwardConfigurations: [(CosineDistanceProduct, data: String, gradients: String)] = [
        (CosineDistanceProduct(rows: 7, features: 19, classes: 3, anchorsPerClass: 2), "random", "both"),
        (CosineDistanceProduct(rows: 200, features: 33, classes: 10, anchorsPerClass: 10), "random", "both"),
        (CosineDistanceProduct(rows: 6, features: 7, classes: 2, anchorsPerClass: 3), "coincident and zero rows", "both"),
        (CosineDistanceProduct(rows: 5, features: 9, classes: 3, anchorsPerClass: 1), "random", "inputs"),
        (CosineDistanceProduct(rows: 5, features: 9, classes: 3, anchorsPerClass: 1), "random", "anchors"),
        (CosineDistanceProduct(rows: 0, features: 8, classes: 2, anchorsPerClass: 2), "random", "anchors"),
    ]

    /// The backward pass of the cosine-distance product, on cosines computed on the host (so the
    /// case does not depend on the forward pass).
    ///
    /// `|δ| ≤ 4u(√L + √n + 3)·M`, where `M` sums the magnitudes of the terms of each gradient
    /// element (`Σ|Wᵢⱼxᵢₖ| + Σ|Gᵢⱼcᵢⱼ|·|aⱼₖ|/|aⱼ|²` for the anchors) and `L` is the GEMM's
    /// reduction length: the accumulation, plus the norms' rounding (`√n`) carried by every term.
    public static var cosineBackwardCases: [ConformanceCase] {
        cosineBackwardConfigurations.map { d, data, gradients in
            let text = "\(d) \(data), \(gradients) gradients"
            return ConformanceCase(family: "cosine", name: "cosineDistanceProductBackward \(text)") { h in
                let (m, n, anchorCount) = (d.rows, d.features, d.anchorCount)
                var x = h.data.normal(m * n)
                var anchors = h.data.normal(anchorCount * n)
                if data != "random" {
                    // Row 0 equals anchor 1, row 1 is zero, anchor 2 is zero.
                    for j in 0..<n { (x[j], x[n + j], anchors[2 * n + j]) = (anchors[n + j], 0, 0) }
                }
                let g = h.data.uniform(m * d.classes, -1, 1)
                let reference = CosineBackwardReference(d, x: x, anchors: anchors, g: g)
                let (tx, ta, tc, tg) = (try h.input(x), try h.input(anchors), try h.input(reference.cosines.map { Float($0) }), try h.input(g))
                let (dx, da) = (try h.output(count: m * n), try h.output(count: anchorCount * n))
                let (wantInputs, wantAnchors) = (gradients != "anchors", gradients != "inputs")
                try h.run { backend, side in
                    try backend.cosineDistanceProductBackward(d, input: tx[side], anchors: ta[side], cosines: tc[side], outputGradient: tg[side],
                                                              inputGradient: wantInputs ? dx[side] : nil, anchorGradient: wantAnchors ? da[side] : nil)
                }
                let rule = "4u(√L+√n+3)·Σ|terms|"
                var comparisons: [Comparison] = []
                if wantInputs {
                    let factor = 4 * unitRoundoff * (Double(anchorCount).squareRoot() + Double(n).squareRoot() + 3)
                    comparisons.append(try h.compare("cosineDistanceProductBackward.inputGradient", text, dx, shape: [m, n],
                                                     tolerance: .elementwise(reference.inputMagnitudes.map { factor * $0 }, rule)))
                }
                if wantAnchors {
                    let factor = 4 * unitRoundoff * (Double(m).squareRoot() + Double(n).squareRoot() + 3)
                    comparisons.append(try h.compare("cosineDistanceProductBackward.anchorGradient", text, da, shape: [anchorCount, n],
                                                     tolerance: .elementwise(reference.anchorMagnitudes.map { factor * $0 }, rule)))
                }
                return comparisons
            }
        }
    }

    /// Runs `d` on `input` and `anchors` on both sides and compares the cosines and the log-distances.
    ///
    /// `|δc| ≤ 8u(√n + 2)`: the dot product's error is at most `u·√n·|x||a|` (typical growth,
    /// Cauchy–Schwarz), each norm's similar, plus the final products; `log(max(1 − c, ε))` moves by
    /// `δc / max(1 − c, ε)`. Non-finite reference values must be matched exactly.
    static func cosineComparisons(_ d: CosineDistanceProduct, _ text: String, input x: [Float], anchors: [Float],
                                  _ h: Harness) throws -> [Comparison] {
        let (m, anchorCount) = (d.rows, d.anchorCount)
        let (tx, ta) = (try h.input(x), try h.input(anchors))
        let logDistance = try h.output(count: m * d.classes)
        let cosines = try h.output(count: m * anchorCount)
        try h.run { backend, side in
            try backend.cosineDistanceProduct(d, input: tx[side], anchors: ta[side], logDistance: logDistance[side], cosines: cosines[side])
        }
        let u = unitRoundoff
        let cosineBound = 8 * u * (Double(d.features).squareRoot() + 2)
        let c = try h.values(cosines, side: .reference)
        var logBounds = [Double](repeating: 0, count: m * d.classes)
        for i in 0..<m {
            for k in 0..<d.classes {
                var total = 0.0
                var magnitude = 0.0
                for p in 0..<d.anchorsPerClass {
                    let distance = max(1 - Double(c[i * anchorCount + k * d.anchorsPerClass + p]), Double(d.epsilon))
                    total += 2 * cosineBound / distance + 4 * u * log(distance).magnitude
                    magnitude += log(distance).magnitude
                }
                logBounds[i * d.classes + k] = total + 4 * u * (Double(d.anchorsPerClass).squareRoot() + 1) * magnitude
            }
        }
        return [
            try h.compare("cosineDistanceProduct.cosines", text, cosines, shape: [m, anchorCount],
                          tolerance: .elementwise([Double](repeating: cosineBound, count: m * anchorCount), "8·u·(√n+2)")),
            try h.compare("cosineDistanceProduct.logDistance", text, logDistance, shape: [m, d.classes],
                          tolerance: .elementwise(logBounds, "Σₚ(2·δc/max(1−c, ε) + 4u|log|) + 4u(√P+1)Σ|log|")),
        ]
    }

    /// Every optimiser rule, with and without weight decay.
    static let optimizerRules: [OptimizerUpdate.Rule] = [
        .sgd, .momentum(0.9), .nesterov(0.9), .adaGrad(epsilon: 1e-8), .rmsProp(decay: 0.9, epsilon: 1e-8),
        .adaDelta(decay: 0.95, epsilon: 1e-6), .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8),
    ]

    /// Four steps of every rule (state carried between steps, Adam's step counter advancing),
    /// comparing the parameter and every state buffer after the last step.
    public static var optimizerCases: [ConformanceCase] {
        optimizerRules.flatMap { rule in
            [(Float(0), 1031), (0.1, 1031), (0.05, 1)].map { weightDecay, count in
                let text = "\(rule) γ=0.05 λ=\(weightDecay) count=\(count) 4 steps"
                return ConformanceCase(family: "optimizer", name: "optimizerUpdate \(text)") { h in
                    let parameter = h.data.normal(count)
                    let gradients = (0..<4).map { _ in h.data.normal(count) }
                    return try optimizerComparisons(rule, weightDecay: weightDecay, text, parameter: parameter, gradients: gradients, h)
                }
            }
        }
    }

    /// Runs one step of `rule` per gradient (state carried between steps, Adam's step counter
    /// advancing from 1) on both sides, then compares the parameter and every state buffer.
    ///
    /// The bounds grow with the magnitudes each step rounds, from the reference:
    /// `4u(t + 1)·Σₜ(|θₜ| + |Δθₜ|)` for the parameter and `4u(t + 1)·Σₜ|stateₜ|` for each state
    /// buffer, `t` the number of steps. Non-finite reference values must be matched exactly.
    static func optimizerComparisons(_ rule: OptimizerUpdate.Rule, weightDecay: Float, _ text: String, parameter initial: [Float],
                                     gradients: [[Float]], _ h: Harness) throws -> [Comparison] {
        let count = initial.count
        let parameter = try h.input(initial)
        let state = try (0..<rule.stateCount).map { _ in try h.output(count: count, prefill: 0) }
        var parameterScale = initial.map { Double($0.magnitude) }
        var stateScale = [[Double]](repeating: [Double](repeating: 0, count: count), count: rule.stateCount)
        for (index, values) in gradients.enumerated() {
            let before = try h.values(parameter, side: .reference)
            let gradient = try h.input(values)
            let update = OptimizerUpdate(rule: rule, learningRate: 0.05, weightDecay: weightDecay, step: index + 1)
            try h.run { backend, side in
                try backend.optimizerUpdate(update, parameter: parameter[side], gradient: gradient[side],
                                            state: state.map { $0[side] }, count: count)
            }
            let after = try h.values(parameter, side: .reference)
            for i in 0..<count {
                parameterScale[i] += Double(after[i].magnitude) + Double((after[i] - before[i]).magnitude)
            }
            for (s, buffer) in state.enumerated() {
                for (i, value) in try h.values(buffer, side: .reference).enumerated() { stateScale[s][i] += Double(value.magnitude) }
            }
        }
        let factor = 4 * unitRoundoff * Double(gradients.count + 1)
        var comparisons = [try h.compare("optimizerUpdate.parameter", text, parameter,
                                         tolerance: .elementwise(parameterScale.map { factor * $0 }, "4u(t+1)·Σₜ(|θₜ|+|Δθₜ|)"))]
        for (s, buffer) in state.enumerated() {
            comparisons.append(try h.compare("optimizerUpdate.state[\(s)]", text, buffer,
                                             tolerance: .elementwise(stateScale[s].map { factor * $0 }, "4u(t+1)·Σₜ|stateₜ|")))
        }
        return comparisons
    }

    static let distributions: [RandomDistribution] = [
        .uniform(low: 0, high: 1), .uniform(low: -2, high: 5), .normal(mean: 0, standardDeviation: 1),
        .normal(mean: 3, standardDeviation: 0.5), .bernoulli(probability: 0.3), .bernoulli(probability: 0), .bernoulli(probability: 1),
    ]

    /// Random fills against the reference (uniform and Bernoulli bit-exact, normal within a few
    /// ulps), offsets that carry into the counter's high word, and the offset property.
    public static var randomCases: [ConformanceCase] {
        var cases: [ConformanceCase] = []
        let draws: [(UInt64, UInt64, Int)] = [(0, 0, 1031), (42, 1000, 17), (0xDEAD_BEEF_CAFE_BABE, 0xFFFF_FFFE, 9)]
        for distribution in distributions {
            for (seed, offset, count) in draws {
                let text = "\(distribution) seed=\(seed) offset=\(offset) count=\(count)"
                cases.append(ConformanceCase(family: "random", name: "randomFill \(text)") { h in
                    let output = try h.output(count: count)
                    try h.run { backend, side in
                        try backend.randomFill(distribution, seed: seed, offset: offset, output: output[side], count: count)
                    }
                    let tolerance: Tolerance
                    if case let .normal(mean, deviation) = distribution {
                        // Box–Muller in Float32: the radius √(−2 ln(1 − u₀)) scales the cosine's error.
                        let generator = Philox4x32(seed: seed)
                        let bounds = (0..<count).map { i -> Double in
                            let u0 = Double(Philox4x32.unitFloat(generator.words(at: offset &+ UInt64(i)).0))
                            let radius = (-2 * log(1 - u0)).squareRoot()
                            // The logarithm's absolute error near 1 (u₀ ≈ 0) is amplified by 1/radius.
                            return 16 * unitRoundoff * (Double(mean.magnitude) + Double(deviation.magnitude) * max(radius, 1))
                                + 4 * unitRoundoff * Double(deviation.magnitude) / max(radius, 1e-3)
                        }
                        tolerance = .elementwise(bounds, "16u·(|mean| + std·max(r, 1)) + 4u·std/max(r, 10⁻³)")
                    } else {
                        tolerance = .bitExact
                    }
                    return [try h.compare("randomFill", text, output, tolerance: tolerance)]
                })
            }
            let text = "\(distribution) offset property"
            cases.append(ConformanceCase(family: "random", name: "randomFill \(text)") { h in
                // The value at index i with offset o equals the value at index i + o with offset 0 (and
                // across the carry from the counter's low word into its high word).
                var comparisons: [Comparison] = []
                for (base, shift) in [(UInt64(0), 5), (0xFFFF_FFFC, 3)] {
                    let count = 37
                    let whole = try h.backend.makeBuffer(count: count + shift)
                    let tail = try h.backend.makeBuffer(count: count)
                    try h.backend.randomFill(distribution, seed: 7, offset: base, output: whole, count: count + shift)
                    try h.backend.randomFill(distribution, seed: 7, offset: base + UInt64(shift), output: tail, count: count)
                    let expected = Array(try Harness.download(whole, from: h.backend, count: count + shift)[shift...])
                    let got = try Harness.download(tail, from: h.backend, count: count)
                    comparisons.append(Comparison(operation: "randomFill", descriptor: "\(distribution) offset \(base + UInt64(shift)) vs \(base)+\(shift)",
                                                  got: got, expected: expected, count: count, tolerance: .bitExact))
                }
                return comparisons
            })
        }
        return cases
    }
}

/// The cosines of a backward case, computed on the host in Double and rounded to Float, and the
/// magnitudes of the terms of each gradient element (formulas in `CosineDistanceProduct`).
struct CosineBackwardReference {
    /// The `m×(K·P)` cosines, as the backends receive them.
    var cosines: [Float] = []
    /// `Σⱼ|Wᵢⱼaⱼₖ| + Σⱼ|Gᵢⱼcᵢⱼ|·|xᵢₖ|/|xᵢ|²` for each `(i, k)`.
    var inputMagnitudes: [Double] = []
    /// `Σᵢ|Wᵢⱼxᵢₖ| + Σᵢ|Gᵢⱼcᵢⱼ|·|aⱼₖ|/|aⱼ|²` for each `(j, k)`.
    var anchorMagnitudes: [Double] = []

    init(_ d: CosineDistanceProduct, x: [Float], anchors: [Float], g: [Float]) {
        let (m, n, anchorCount) = (d.rows, d.features, d.anchorCount)
        func norm(_ values: [Float], _ row: Int) -> Double {
            max((0..<n).reduce(0.0) { $0 + Double(values[row * n + $1]) * Double(values[row * n + $1]) }.squareRoot(),
                Double(CosineDistanceProduct.normFloor))
        }
        let (xNorms, aNorms) = ((0..<m).map { norm(x, $0) }, (0..<anchorCount).map { norm(anchors, $0) })
        var (w, gc) = ([Double](repeating: 0, count: m * anchorCount), [Double](repeating: 0, count: m * anchorCount))
        for i in 0..<m {
            for j in 0..<anchorCount {
                let dot = (0..<n).reduce(0.0) { $0 + Double(x[i * n + $1]) * Double(anchors[j * n + $1]) }
                let cosine = Float(dot / (xNorms[i] * aNorms[j]))
                cosines.append(cosine)
                let distance = 1 - Double(cosine)
                let term = distance > Double(d.epsilon) ? -Double(g[i * d.classes + j / d.anchorsPerClass]) / distance : 0
                (w[i * anchorCount + j], gc[i * anchorCount + j]) = (term / (xNorms[i] * aNorms[j]), term * Double(cosine))
            }
        }
        inputMagnitudes = (0..<m * n).map { index in
            let (i, k) = (index / n, index % n)
            return (0..<anchorCount).reduce(0.0) { total, j in
                total + abs(w[i * anchorCount + j] * Double(anchors[j * n + k])) + abs(gc[i * anchorCount + j] * Double(x[index])) / (xNorms[i] * xNorms[i])
            }
        }
        anchorMagnitudes = (0..<anchorCount * n).map { index in
            let (j, k) = (index / n, index % n)
            return (0..<m).reduce(0.0) { total, i in
                total + abs(w[i * anchorCount + j] * Double(x[i * n + k])) + abs(gc[i * anchorCount + j] * Double(anchors[index])) / (aNorms[j] * aNorms[j])
            }
        }
    }
}
