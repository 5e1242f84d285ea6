import KeelCore

extension OpenCLBackend {
    /// The anchor classifier's log cosine-distance product: row norms, one tiled GEMM `X·Aᵀ`,
    /// then one kernel that scales the dot products into cosines and sums the log distances.
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

        let program = try programs.program("cosine")
        let (inputScales, anchorScales) = (try scratch(count: m), try scratch(count: anchorCount))
        let group = [tuning.rowWorkGroup]
        try runtime.launch(program, "inverse_row_norms", global: [m + anchorCount], local: group,
                           [.int(m), .int(anchorCount), .int(n), .buffer(input), .buffer(anchors), .buffer(inputScales), .buffer(anchorScales)])
        try enqueueGEMM(m: m, n: anchorCount, k: n, batch: 1,
                        a: MatrixOperand(buffer: input, rowStride: n, columnStride: 1),
                        b: MatrixOperand(buffer: anchors, rowStride: 1, columnStride: n),
                        c: cosines, cOffset: 0, ldc: anchorCount, cBatchStride: 0, alpha: 1, beta: 0)
        let terms = try scratch(count: m * anchorCount)
        try runtime.launch(program, "log_distance", global: [m], local: group, [
            .int(m), .int(d.classes), .int(d.anchorsPerClass), .float(d.epsilon),
            .buffer(cosines), .buffer(inputScales), .buffer(anchorScales), .buffer(terms), .buffer(logDistance),
        ])
    }
}
