import KeelCore

extension CPUBackend {
    /// The backward pass of the cosine-distance product (formulas in `CosineDistanceProduct`), in
    /// one pass over the cosines and one SGEMM per gradient asked for.
    ///
    /// The inverse norms of the rows and anchors come first (one parallel pass). Then each thread
    /// takes a stripe of rows and turns their cosines into `W` (stored in a scratch `m×(K·P)`
    /// buffer), keeping each row's `Σⱼ Gᵢⱼcᵢⱼ` and its own partial column sums `Σᵢ Gᵢⱼcᵢⱼ` (in
    /// Double). Each gradient starts as the correction `−diag(s·r²)·rows` and the SGEMM (`W·A` or
    /// `Wᵀ·X`) adds onto it with `β = 1`.
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
        let rowSums = try CPUBuffer(count: m)
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
                rowSums.pointer[row] = rowSum
            }
        }
        if let inputGradient {
            Self.scaledRows(input, count: m, columns: n, by: { rowSums.pointer[$0] * inputScales.pointer[$0] * inputScales.pointer[$0] },
                            into: inputGradient)
            sgemm(transposeA: false, transposeB: false, m: m, n: n, k: anchorCount, alpha: 1, a: w.pointer, lda: anchorCount,
                  b: anchors.pointer, ldb: n, beta: 1, c: inputGradient.pointer, ldc: n)
        }
        if let anchorGradient {
            let columnSums = try CPUBuffer(count: anchorCount)
            for column in 0..<anchorCount {
                columnSums.pointer[column] = Float((0..<parts).reduce(0) { $0 + columnPartials[$1 * anchorCount + column] })
            }
            Self.scaledRows(anchors, count: anchorCount, columns: n,
                            by: { columnSums.pointer[$0] * anchorScales.pointer[$0] * anchorScales.pointer[$0] }, into: anchorGradient)
            sgemm(transposeA: true, transposeB: false, m: anchorCount, n: n, k: m, alpha: 1, a: w.pointer, lda: anchorCount,
                  b: input.pointer, ldb: n, beta: 1, c: anchorGradient.pointer, ldc: n)
        }
    }

    /// `output = −diag(scale(row))·rows` for a `count × columns` matrix, rows spread over the threads.
    private static func scaledRows(_ rows: CPUBuffer, count: Int, columns: Int, by scale: @Sendable (Int) -> Float, into output: CPUBuffer) {
        let width = Vector.scalarCount
        Parallel.forEachChunk(of: count, grain: Swift.max(1, (1 << 15) / Swift.max(columns, 1))) { range in
            for row in range {
                let (source, target) = (UnsafePointer(rows.pointer + row * columns), output.pointer + row * columns)
                let factor = Vector(repeating: -scale(row))
                var column = 0
                while column + width <= columns {
                    target.storeVector(source.loadVector(at: column) * factor, at: column)
                    column += width
                }
                for tail in column..<columns { target[tail] = source[tail] * factor[0] }
            }
        }
    }
}
