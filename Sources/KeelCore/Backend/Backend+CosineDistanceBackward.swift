extension Backend {
    /// The default backward pass of the cosine-distance product, composed of required operations
    /// (formulas in ``CosineDistanceProduct``): `G` and `W` element-wise over the `m×(K·P)`
    /// cosines, the inverse row norms as in the forward default, then for each gradient asked
    /// for one ``gemm(_:a:b:c:)`` (`W·A` or `Wᵀ·X`), the sums `Σ G⊙c` and the subtraction of the
    /// scaled rows.
    ///
    /// It allocates eleven temporaries of `m·K·P` elements, two per row norm and two per gradient
    /// (one the size of the matrix each), in 27 operations for one gradient and 33 for both.
    /// - Parameters:
    ///   - descriptor: The sizes and the clamp, as in the forward pass.
    ///   - input: The `m×n` inputs `X` of the forward pass.
    ///   - anchors: The `(K·P)×n` anchors `A` of the forward pass.
    ///   - cosines: The `m×(K·P)` cosines `c` the forward pass wrote.
    ///   - outputGradient: `g`, the `m×K` gradient with respect to the log distances.
    ///   - inputGradient: The `m×n` gradient with respect to `X`, overwritten; `nil` when not needed.
    ///   - anchorGradient: The `(K·P)×n` gradient with respect to `A`, overwritten; `nil` when not needed.
    public func cosineDistanceProductBackward(_ descriptor: CosineDistanceProduct, input: any DeviceBuffer, anchors: any DeviceBuffer,
                                              cosines: any DeviceBuffer, outputGradient: any DeviceBuffer,
                                              inputGradient: (any DeviceBuffer)?, anchorGradient: (any DeviceBuffer)?) throws {
        let d = descriptor
        let (m, n, anchorCount) = (d.rows, d.features, d.anchorCount)
        guard m > 0 else {
            if let anchorGradient { try fill(anchorGradient, value: 0, count: anchorCount * n) }
            return
        }
        let count = m * anchorCount
        let shape: Shape = [m, anchorCount]
        func matrix(_ buffer: any DeviceBuffer) -> StridedView { StridedView(buffer, strides: [anchorCount, 1]) }
        func elementwise(_ operation: UnaryOperation, _ input: any DeviceBuffer) throws -> any DeviceBuffer {
            let output = try makeBuffer(count: count)
            try unary(operation, input: input, output: output, count: count)
            return output
        }
        func combined(_ operation: BinaryOperation, _ lhs: StridedView, _ rhs: StridedView) throws -> any DeviceBuffer {
            let output = try makeBuffer(count: count)
            try binary(operation, lhs, rhs, output: output, shape: shape)
            return output
        }
        // G = −g·[1 − c > ε] / max(1 − c, ε), with g repeated over each class's P anchors.
        let distance = try elementwise(.affine(scale: -1, shift: 1), cosines)
        let unclamped = try elementwise(.step, try elementwise(.affine(scale: 1, shift: -d.epsilon), distance))
        let perAnchor = try makeBuffer(count: count)
        try copy(StridedView(outputGradient, strides: [d.classes, 1, 0]), to: perAnchor, shape: [m, d.classes, d.anchorsPerClass])
        let clamped = try elementwise(.clamp(lower: d.epsilon, upper: .infinity), distance)
        let quotient = try combined(.divide, matrix(try combined(.multiply, matrix(perAnchor), matrix(unclamped))), matrix(clamped))
        let g = try elementwise(.negate, quotient)
        // W = G / (|x|·|a|) and the sums of G⊙c.
        let inverseInputNorms = try inverseRowNorms(input, rows: m, columns: n)
        let inverseAnchorNorms = try inverseRowNorms(anchors, rows: anchorCount, columns: n)
        let w = try combined(.multiply, matrix(try combined(.multiply, matrix(g), StridedView(inverseInputNorms, strides: [1, 0]))),
                             StridedView(inverseAnchorNorms, strides: [0, 1]))
        let gc = try combined(.multiply, matrix(g), matrix(cosines))
        if let inputGradient {
            try gemm(MatrixMultiplication(m: m, n: n, k: anchorCount), a: w, b: anchors, c: inputGradient)
            try subtractScaledRows(from: inputGradient, rows: input, count: m, columns: n, sums: gc,
                                   extents: ReductionExtents(outer: m, length: anchorCount, inner: 1), inverseNorms: inverseInputNorms)
        }
        if let anchorGradient {
            try gemm(MatrixMultiplication(m: anchorCount, n: n, k: m, transposeA: true), a: w, b: input, c: anchorGradient)
            try subtractScaledRows(from: anchorGradient, rows: anchors, count: anchorCount, columns: n, sums: gc,
                                   extents: ReductionExtents(outer: 1, length: m, inner: anchorCount), inverseNorms: inverseAnchorNorms)
        }
    }

    /// `gradient −= diag(s·r²)·rows`, where `s` sums `sums` over `extents` (one value per row of
    /// `rows`) and `r` is each row's inverse norm.
    private func subtractScaledRows(from gradient: any DeviceBuffer, rows: any DeviceBuffer, count: Int, columns: Int, sums: any DeviceBuffer,
                                    extents: ReductionExtents, inverseNorms: any DeviceBuffer) throws {
        let scale = try makeBuffer(count: count)
        try reduce(.sum, input: sums, output: scale, extents: extents)
        for _ in 0..<2 {
            try binary(.multiply, StridedView(scale, strides: [1]), StridedView(inverseNorms, strides: [1]), output: scale, shape: [count])
        }
        let correction = try makeBuffer(count: count * columns)
        try binary(.multiply, StridedView(rows, strides: [columns, 1]), StridedView(scale, strides: [1, 0]), output: correction, shape: [count, columns])
        try binary(.subtract, StridedView(gradient, strides: [columns, 1]), StridedView(correction, strides: [columns, 1]),
                   output: gradient, shape: [count, columns])
    }
}
