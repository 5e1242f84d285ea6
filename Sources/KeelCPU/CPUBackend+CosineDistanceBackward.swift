import KeelCore

extension CPUBackend {
    /// The backward pass of the cosine-distance product (formulas in `CosineDistanceProduct`), in
    /// one pass over the cosines and one SGEMM per gradient asked for.
    ///
    /// The inverse norms of the rows and anchors come first (one parallel pass). Then each thread
    /// takes a stripe of rows and turns their cosines into `W` (stored in a scratch `m×(K·P)`
    /// buffer), keeping each row's `Σⱼ Gᵢⱼcᵢⱼ` and its own partial column sums `Σᵢ Gᵢⱼcᵢⱼ` (in
    /// Double). Each gradient starts as the correction `−diag(s·r²)·rows` (the backend's broadcasting
    /// `binary` multiply) and the SGEMM (`W·A` or `Wᵀ·X`) adds onto it with `β = 1`.
    /// - Parameters:
    ///   - descriptor: The sizes and the clamp, as in the forward pass.
    ///   - input: A CPU buffer holding the `m×n` inputs `X`.
    ///   - anchors: A CPU buffer holding the `(K·P)×n` anchors `A`.
    ///   - cosines: A CPU buffer holding the `m×(K·P)` cosines of the forward pass.
    ///   - outputGradient: A CPU buffer holding `g`, the `m×K` gradient with respect to the log distances.
    ///   - inputGradient: A CPU buffer for the `m×n` gradient with respect to `X`, or `nil`.
    ///   - anchorGradient: A CPU buffer for the `(K·P)×n` gradient with respect to `A`, or `nil`.
    public func cosineDistanceProductBackward(_ descriptor: CosineDistanceProduct, input: any DeviceBuffer, anchors: any DeviceBuffer,
                                              cosines: any DeviceBuffer, outputGradient: any DeviceBuffer,
                                              inputGradient: (any DeviceBuffer)?, anchorGradient: (any DeviceBuffer)?) throws {
        let d = descriptor
        let (m, n, anchorCount) = (d.rows, d.features, d.anchorCount)
        d.requireBackwardBuffers("CPUBackend", input: input, anchors: anchors, cosines: cosines, outputGradient: outputGradient,
                                 inputGradient: inputGradient, anchorGradient: anchorGradient)
        let (input, anchors, cosines) = (input.as(CPUBuffer.self), anchors.as(CPUBuffer.self), cosines.as(CPUBuffer.self))
        let outputGradient = outputGradient.as(CPUBuffer.self)
        let (inputGradient, anchorGradient) = (inputGradient?.as(CPUBuffer.self), anchorGradient?.as(CPUBuffer.self))
        guard m > 0 else {
            anchorGradient?.pointer.update(repeating: 0, count: anchorCount * n)
            return
        }

        let inputScales = try CPUBuffer(count: m), anchorScales = try CPUBuffer(count: anchorCount)
        Parallel.forEachChunk(of: m + anchorCount, grain: Swift.max(1, (1 << 15) / n)) { range in
            for index in range {
                let (rows, scales, row) = index < m ? (input, inputScales, index) : (anchors, anchorScales, index - m)
                scales.pointer[row] = Self.inverseNorm(UnsafePointer(rows.pointer + row * n), count: n)
            }
        }
        let w = try CPUBuffer(count: m * anchorCount)
        let rowFactors = try CPUBuffer(count: m)  // Σⱼ Gᵢⱼcᵢⱼ, then the row's correction factor
        let parts = m * anchorCount < 1 << 14 ? 1 : Swift.min(Parallel.threadCount, m)
        let columnPartials = UnsafeMutablePointer<Double>.allocate(capacity: parts * anchorCount)
        defer { columnPartials.deallocate() }
        columnPartials.initialize(repeating: 0, count: parts * anchorCount)
        let partials = SharedPointer(columnPartials)
        parallelFor(parts) { part in
            let columnSums = partials.base + part * anchorCount
            for row in part * m / parts ..< (part + 1) * m / parts {
                let (cosineRow, wRow) = (cosines.pointer + row * anchorCount, w.pointer + row * anchorCount)
                let gradientRow = outputGradient.pointer + row * d.classes
                let rowScale = inputScales.pointer[row]
                var rowSum: Float = 0
                for column in 0..<anchorCount {
                    let cosine = cosineRow[column]
                    let distance = 1 - cosine
                    // G = −g·[d > ε] / max(d, ε), in the order of the composite default, so that
                    // NaN and infinities propagate the same way.
                    let passes: Float = distance - d.epsilon > 0 ? 1 : 0
                    let clamped = distance < d.epsilon ? d.epsilon : distance
                    let g = -(gradientRow[column / d.anchorsPerClass] * passes / clamped)
                    wRow[column] = g * rowScale * anchorScales.pointer[column]
                    let gc = g * cosine
                    rowSum += gc
                    columnSums[column] += Double(gc)
                }
                rowFactors.pointer[row] = rowSum
            }
        }
        // Each gradient starts as its correction −diag(s·r²)·rows (the broadcasting multiply), then
        // the SGEMM adds W·A or Wᵀ·X onto it.
        if let inputGradient {
            for row in 0..<m { rowFactors.pointer[row] = -(rowFactors.pointer[row] * inputScales.pointer[row] * inputScales.pointer[row]) }
            try binary(.multiply, StridedView(input, strides: [n, 1]), StridedView(rowFactors, strides: [1, 0]), output: inputGradient, shape: [m, n])
            sgemm(transposeA: false, transposeB: false, m: m, n: n, k: anchorCount, alpha: 1, a: w.pointer, lda: anchorCount,
                  b: anchors.pointer, ldb: n, beta: 1, c: inputGradient.pointer, ldc: n)
        }
        if let anchorGradient {
            let columnFactors = try CPUBuffer(count: anchorCount)
            for column in 0..<anchorCount {
                let sum = Float((0..<parts).reduce(0) { $0 + columnPartials[$1 * anchorCount + column] })
                columnFactors.pointer[column] = -(sum * anchorScales.pointer[column] * anchorScales.pointer[column])
            }
            try binary(.multiply, StridedView(anchors, strides: [n, 1]), StridedView(columnFactors, strides: [1, 0]), output: anchorGradient,
                       shape: [anchorCount, n])
            sgemm(transposeA: true, transposeB: false, m: anchorCount, n: n, k: m, alpha: 1, a: w.pointer, lda: anchorCount,
                  b: input.pointer, ldb: n, beta: 1, c: anchorGradient.pointer, ldc: n)
        }
    }
}
