import KeelCore

extension CPUBackend {
    /// `C = α·op(A)·op(B) + β·C` for each batch entry, through the packed, cache-blocked SGEMM.
    ///
    /// Each product packs `op(B)` into 16-column panels sized for L2, reads `A` in place (packing
    /// it only when transposed) and computes 6×16 register tiles with fused multiply-adds; `C` is
    /// split into one stripe per thread, and products under 2¹⁶ multiply-adds stay on the calling
    /// thread. Batches of small products (under 2¹⁵ multiply-adds each) are spread over the
    /// threads one entry per task; larger entries run one after another, each multithreaded.
    /// - Parameters:
    ///   - descriptor: The sizes, transposes, scalars and batch strides.
    ///   - a: A CPU buffer holding `A`.
    ///   - b: A CPU buffer holding `B`.
    ///   - c: A CPU buffer holding `C`; not read when `β == 0`.
    public func gemm(_ descriptor: MatrixMultiplication, a: any DeviceBuffer, b: any DeviceBuffer, c: any DeviceBuffer) throws {
        let (a, b, c) = (a.as(CPUBuffer.self), b.as(CPUBuffer.self), c.as(CPUBuffer.self))
        let required = descriptor.requiredCounts
        require(a, holds: required.a, "gemm", "\(descriptor)", role: "A")
        require(b, holds: required.b, "gemm", "\(descriptor)", role: "B")
        require(c, holds: required.c, "gemm", "\(descriptor)", role: "C")
        let d = descriptor
        guard d.batchCount > 0, d.m > 0, d.n > 0 else { return }
        let entry: @Sendable (Int) -> Void = { index in
            sgemm(transposeA: d.transposeA, transposeB: d.transposeB, m: d.m, n: d.n, k: d.k, alpha: d.alpha,
                  a: a.pointer + index * d.batchStrideA, lda: d.lda, b: b.pointer + index * d.batchStrideB, ldb: d.ldb,
                  beta: d.beta, c: c.pointer + index * d.batchStrideC, ldc: d.ldc)
        }
        if d.batchCount > 1, d.m * d.n * d.k < 1 << 15, d.batchStrideC != 0 {
            Parallel.forEachChunk(of: d.batchCount, grain: Swift.max(1, (1 << 15) / Swift.max(1, d.m * d.n * d.k))) { range in
                for index in range { entry(index) }
            }
        } else {
            for index in 0..<d.batchCount { entry(index) }
        }
    }
}
