import KeelCore

extension OpenCLBackend {
    /// The anchor classifier's log cosine-distance product in three launches: the anchors packed
    /// into GEMM panels with their norms, one tiled GEMM `X·Aᵀ`, then one kernel that computes the
    /// rows' norms, scales the dot products into cosines and sums the log distances (pairs of
    /// distances multiplied before the logarithm when `P` is even, as on the CPU).
    /// - Parameters:
    ///   - descriptor: The sizes and the clamp (formulas in `CosineDistanceProduct`).
    ///   - input: An OpenCL buffer holding the `m×n` inputs.
    ///   - anchors: An OpenCL buffer holding the `(K·P)×n` anchors.
    ///   - logDistance: An OpenCL buffer for the `m×K` result, overwritten.
    ///   - cosines: An OpenCL buffer for the `m×(K·P)` cosines, overwritten.
    /// - Throws: ``OpenCLError`` when the kernel's program fails to build or load (first use only)
    ///   or the launch cannot be enqueued; `KeelError.outOfMemory` when scratch memory runs out.
    ///   Failures while the kernels run surface at the next ``download(_:into:)`` or ``synchronize()``.
    public func cosineDistanceProduct(_ descriptor: CosineDistanceProduct, input: any DeviceBuffer, anchors: any DeviceBuffer,
                                      logDistance: any DeviceBuffer, cosines: any DeviceBuffer) throws {
        let d = descriptor
        let (input, anchors) = (input.as(OpenCLBuffer.self), anchors.as(OpenCLBuffer.self))
        let (logDistance, cosines) = (logDistance.as(OpenCLBuffer.self), cosines.as(OpenCLBuffer.self))
        let (m, n, anchorCount) = (d.rows, d.features, d.anchorCount)
        require(input, holds: m * n, "cosineDistanceProduct", "\(d)", role: "an input")
        require(anchors, holds: anchorCount * n, "cosineDistanceProduct", "\(d)", role: "anchors")
        require(logDistance, holds: m * d.classes, "cosineDistanceProduct", "\(d)", role: "a log distance")
        require(cosines, holds: m * anchorCount, "cosineDistanceProduct", "\(d)", role: "cosines")
        guard m > 0 else { return }

        let program = try programs.program("cosine", options: tuning.cosineOptions)
        let packed = PackedOperand(buffer: try scratch(count: packedCount(k: n, n: anchorCount)), batchStride: 0)
        let anchorScales = try scratch(count: anchorCount)
        let group = [tuning.rowWorkGroup]
        let panelColumns = (anchorCount + tuning.gemmColumns - 1) / tuning.gemmColumns * tuning.gemmColumns
        try runtime.launch(program, "pack_anchors", global: [panelColumns], local: group,
                           [.int(anchorCount), .int(n), .buffer(anchors), .buffer(packed.buffer), .buffer(anchorScales)])
        try enqueuePackedGEMM(m: m, n: anchorCount, k: n, batch: 1, a: MatrixOperand(buffer: input, rowStride: n, columnStride: 1),
                              b: packed, c: cosines, cOffset: 0, ldc: anchorCount, cBatchStride: 0, alpha: 1, beta: 0)
        let terms = try scratch(count: m * anchorCount)
        try runtime.launch(program, "log_distance", global: [m], local: group, [
            .int(m), .int(n), .int(d.classes), .int(d.anchorsPerClass), .float(d.epsilon), .int(d.multipliesDistancePairs ? 1 : 0),
            .buffer(input), .buffer(cosines), .buffer(anchorScales), .buffer(terms), .buffer(logDistance),
        ])
    }
}
