import KeelCore

extension Conformance {
    /// GEMM: every transpose, α/β (β = 0 with a NaN-filled C that must not be read), zero sizes,
    /// awkward sizes, batches with gaps and with batch stride 0, and the MLP's shapes.
    public static var gemmCases: [ConformanceCase] {
        var descriptors: [MatrixMultiplication] = []
        let sizes = [(1, 1, 1), (2, 3, 2), (3, 7, 13), (7, 13, 31), (13, 31, 7), (31, 64, 65),
                     (64, 65, 127), (65, 127, 3), (127, 2, 64), (1, 127, 65), (127, 1, 31), (17, 19, 1)]
        let scalars: [(Float, Float)] = [(1, 0), (-0.5, 1.5), (2, 0), (1, -1), (0.75, 0.25), (1, 1)]
        var index = 0
        for (m, n, k) in sizes {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let (alpha, beta) = scalars[index % scalars.count]
                index += 1
                descriptors.append(MatrixMultiplication(m: m, n: n, k: k, transposeA: ta, transposeB: tb, alpha: alpha, beta: beta))
            }
        }
        descriptors += [
            MatrixMultiplication(m: 0, n: 5, k: 3),
            MatrixMultiplication(m: 4, n: 0, k: 3, beta: 1),
            MatrixMultiplication(m: 4, n: 5, k: 0),                       // C = 0 from a NaN-filled C
            MatrixMultiplication(m: 4, n: 5, k: 0, alpha: 2, beta: 0.5),  // C = β·C
            MatrixMultiplication(m: 3, n: 2, k: 4, batchCount: 0),
            MatrixMultiplication(m: 7, n: 5, k: 13, batchCount: 3),
            MatrixMultiplication(m: 5, n: 3, k: 9, transposeA: true, alpha: 1.5, beta: 0.5, batchCount: 4,
                                 batchStrideA: 5 * 9 + 5, batchStrideB: 9 * 3 + 3, batchStrideC: 5 * 3 + 2),
            MatrixMultiplication(m: 6, n: 4, k: 7, batchCount: 3, batchStrideA: 0),
            MatrixMultiplication(m: 6, n: 4, k: 7, transposeB: true, beta: 1, batchCount: 3, batchStrideB: 0),
            MatrixMultiplication(m: 3, n: 3, k: 3, transposeA: true, transposeB: true, batchCount: 5, batchStrideA: 0, batchStrideB: 0),
            MatrixMultiplication(m: 1, n: 1, k: 65, batchCount: 2),
            // The MLP's layer (batch 128, 784 → 100) forward, and its weight gradient.
            MatrixMultiplication(m: 128, n: 100, k: 784),
            MatrixMultiplication(m: 784, n: 100, k: 128, transposeA: true),
        ]
        return descriptors.map(gemmCase)
    }

    /// One GEMM compared with the reference (inputs seeded from the case name; β = 0 gets a NaN-filled C).
    ///
    /// Inputs are uniform in [−1, 1]; the tolerance is ``Tolerance/accumulation(length:magnitudes:constant:)``
    /// with `L = k` and magnitudes from the same GEMM on `|A|`, `|B|`, `|C|`, `|α|`, `|β|`.
    ///
    /// - Parameter d: the multiplication to check, for example a shape your kernels special-case.
    public static func gemmCase(_ d: MatrixMultiplication) -> ConformanceCase {
        let transposes = "\(d.transposeA ? "T" : "N")\(d.transposeB ? "T" : "N")"
        let label = "m=\(d.m) n=\(d.n) k=\(d.k) \(transposes) α=\(d.alpha) β=\(d.beta) batch=\(d.batchCount) strides=(\(d.batchStrideA), \(d.batchStrideB), \(d.batchStrideC))"
        return ConformanceCase(family: "gemm", name: "gemm \(label)") { h in
            let counts = d.requiredCounts
            let a = h.data.uniform(counts.a, -1, 1)
            let b = h.data.uniform(counts.b, -1, 1)
            let c = d.beta == 0 ? [Float](repeating: .nan, count: counts.c) : h.data.uniform(counts.c, -1, 1)
            let (ta, tb, tc) = (try h.input(a), try h.input(b), try h.input(c))
            try h.run { backend, side in try backend.gemm(d, a: ta[side], b: tb[side], c: tc[side]) }
            var absolute = d
            absolute.alpha = d.alpha.magnitude
            absolute.beta = d.beta.magnitude
            let magnitudes = try h.onReference([a.magnitudes, b.magnitudes], output: c.magnitudes) { reference, inputs, output in
                try reference.gemm(absolute, a: inputs[0], b: inputs[1], c: output)
            }
            let shape: Shape? = d.batchCount == 1 ? [d.m, d.n] : nil
            return [try h.compare("gemm", label, tc, shape: shape, tolerance: .accumulation(length: d.k, magnitudes: magnitudes))]
        }
    }
}
