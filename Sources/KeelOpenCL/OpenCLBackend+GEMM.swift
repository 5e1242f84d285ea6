import KeelCore

/// A matrix operand inside a device buffer: element `(row, column)` of batch entry `b` is at
/// `offset + b·batchStride + row·rowStride + column·columnStride`.
struct MatrixOperand {
    var buffer: OpenCLBuffer
    var offset = 0
    var rowStride: Int
    var columnStride: Int
    var batchStride = 0
}

/// A `k × n` operand packed into column panels of the GEMM tile's width (see `gemm.cl`), at
/// `offset + b·batchStride` for batch entry `b`.
struct PackedOperand {
    var buffer: OpenCLBuffer
    var offset = 0
    var batchStride: Int
}

extension OpenCLBackend {
    /// `C = α·op(A)·op(B) + β·C`, batched: `op(B)` is packed into column panels by `pack_b`
    /// (which also applies a transpose), then `gemm` computes register tiles of C
    /// (`gemmTile`), reading `A` through its strides. With `k == 0` one kernel scales `C` by `β`.
    /// - Parameters:
    ///   - descriptor: The sizes, transposes, scalars and batch strides.
    ///   - a: An OpenCL buffer holding `A`.
    ///   - b: An OpenCL buffer holding `B`.
    ///   - c: An OpenCL buffer holding `C`; not read when `β == 0`.
    /// - Throws: ``OpenCLError`` when the kernel's program fails to build or load (first use only)
    ///   or the launch cannot be enqueued; `KeelError.outOfMemory` when scratch memory runs out.
    ///   Failures while the kernels run surface at the next ``download(_:into:)`` or ``synchronize()``.
    public func gemm(_ descriptor: MatrixMultiplication, a: any DeviceBuffer, b: any DeviceBuffer, c: any DeviceBuffer) throws {
        let d = descriptor
        let (a, b, c) = (a.as(OpenCLBuffer.self), b.as(OpenCLBuffer.self), c.as(OpenCLBuffer.self))
        let required = d.requiredCounts
        require(a, holds: required.a, "gemm", "\(d)", role: "A")
        require(b, holds: required.b, "gemm", "\(d)", role: "B")
        require(c, holds: required.c, "gemm", "\(d)", role: "C")
        try enqueueGEMM(
            m: d.m, n: d.n, k: d.k, batch: d.batchCount,
            a: MatrixOperand(buffer: a, rowStride: d.transposeA ? 1 : d.lda, columnStride: d.transposeA ? d.lda : 1, batchStride: d.batchStrideA),
            b: MatrixOperand(buffer: b, rowStride: d.transposeB ? 1 : d.ldb, columnStride: d.transposeB ? d.ldb : 1, batchStride: d.batchStrideB),
            c: c, cOffset: 0, ldc: d.ldc, cBatchStride: d.batchStrideC, alpha: d.alpha, beta: d.beta)
    }

    /// Enqueues a batched GEMM on operands given by strides; `C` is row-major with row stride `ldc`.
    func enqueueGEMM(m: Int, n: Int, k: Int, batch: Int, a: MatrixOperand, b: MatrixOperand,
                     c: OpenCLBuffer, cOffset: Int, ldc: Int, cBatchStride: Int, alpha: Float, beta: Float) throws {
        guard m > 0, n > 0, batch > 0 else { return }
        if k == 0 {
            // An empty sum: C = β·C.
            return try scaleMatrix(c, offset: cOffset, rows: m, columns: n, ld: ldc, batch: batch, batchStride: cBatchStride, by: beta)
        }
        let program = try programs.program("gemm", options: tuning.gemmOptions)
        let packed = PackedOperand(buffer: try scratch(count: packedCount(k: k, n: n) * batch), batchStride: packedCount(k: k, n: n))
        let panels = (n + tuning.gemmColumns - 1) / tuning.gemmColumns
        try runtime.launch(program, "pack_b", global: [k, panels, batch], local: workGroup(for: [k, panels]) + [1], [
            .int(k), .int(n), .buffer(b.buffer), .int(b.offset), .int(b.rowStride), .int(b.columnStride), .int(b.batchStride),
            .buffer(packed.buffer), .int(packed.batchStride),
        ])
        try enqueuePackedGEMM(m: m, n: n, k: k, batch: batch, a: a, b: packed, c: c, cOffset: cOffset, ldc: ldc,
                              cBatchStride: cBatchStride, alpha: alpha, beta: beta)
    }

    /// The elements of `B` (`k × n`) packed into column panels of the GEMM tile's width.
    func packedCount(k: Int, n: Int) -> Int {
        (n + tuning.gemmColumns - 1) / tuning.gemmColumns * tuning.gemmColumns * k
    }

    /// Enqueues the register-tiled GEMM on a `B` already packed into panels (`k > 0`).
    func enqueuePackedGEMM(m: Int, n: Int, k: Int, batch: Int, a: MatrixOperand, b: PackedOperand,
                           c: OpenCLBuffer, cOffset: Int, ldc: Int, cBatchStride: Int, alpha: Float, beta: Float) throws {
        guard m > 0, n > 0, batch > 0 else { return }
        let program = try programs.program("gemm", options: tuning.gemmOptions)
        let panels = (n + tuning.gemmColumns - 1) / tuning.gemmColumns
        let group = tuning.gemmWorkGroup
        try runtime.launch(program, "gemm", global: [panels, (m + tuning.gemmRows - 1) / tuning.gemmRows, batch],
                           local: [group.0, group.1, 1], [
            .int(m), .int(n), .int(k),
            .buffer(a.buffer), .int(a.offset), .int(a.rowStride), .int(a.columnStride), .int(a.batchStride),
            .buffer(b.buffer), .int(b.offset), .int(b.batchStride),
            .buffer(c), .int(cOffset), .int(ldc), .int(cBatchStride),
            .float(alpha), .float(beta),
        ])
    }

    /// `C = β·C` over a (batched) `rows × columns` block (β = 0 writes zeros, ignoring NaN in C).
    private func scaleMatrix(_ c: OpenCLBuffer, offset: Int, rows: Int, columns: Int, ld: Int,
                             batch: Int, batchStride: Int, by beta: Float) throws {
        let program = try programs.program("gemm", options: tuning.gemmOptions)
        try runtime.launch(program, "scale", global: [columns, rows, batch], [
            .buffer(c), .int(offset), .int(ld), .int(batchStride), .float(beta),
        ])
    }
}
