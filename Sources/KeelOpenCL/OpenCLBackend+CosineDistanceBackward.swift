import KeelCore

extension OpenCLBackend {
    /// The backward pass of the cosine-distance product (formulas in `CosineDistanceProduct`):
    /// the anchors' inverse norms, one kernel over the rows for `W`, `G⊙c` and the rows'
    /// correction factors, then for each gradient asked for its correction `−diag(s·r²)·rows` (the
    /// broadcasting `binary` multiply) and one tiled GEMM (`W·A` or `Wᵀ·X`) adding onto it. Six
    /// launches for the anchor gradient alone, where the composite default makes 27.
    /// - Parameters:
    ///   - descriptor: The sizes and the clamp, as in the forward pass.
    ///   - input: An OpenCL buffer holding the `m×n` inputs `X`.
    ///   - anchors: An OpenCL buffer holding the `(K·P)×n` anchors `A`.
    ///   - cosines: An OpenCL buffer holding the `m×(K·P)` cosines of the forward pass.
    ///   - outputGradient: An OpenCL buffer holding `g`, the `m×K` gradient with respect to the log distances.
    ///   - inputGradient: An OpenCL buffer for the `m×n` gradient with respect to `X`, or `nil`.
    ///   - anchorGradient: An OpenCL buffer for the `(K·P)×n` gradient with respect to `A`, or `nil`.
    /// - Throws: ``OpenCLError`` when the kernel's program fails to build or load (first use only)
    ///   or a launch cannot be enqueued; `KeelError.outOfMemory` when scratch memory runs out.
    ///   Failures while the kernels run surface at the next ``download(_:into:)`` or ``synchronize()``.
    public func cosineDistanceProductBackward(_ descriptor: CosineDistanceProduct, input: any DeviceBuffer, anchors: any DeviceBuffer,
                                              cosines: any DeviceBuffer, outputGradient: any DeviceBuffer,
                                              inputGradient: (any DeviceBuffer)?, anchorGradient: (any DeviceBuffer)?) throws {
        let d = descriptor
        let (m, n, anchorCount) = (d.rows, d.features, d.anchorCount)
        d.requireBackwardBuffers("OpenCLBackend", input: input, anchors: anchors, cosines: cosines, outputGradient: outputGradient,
                                 inputGradient: inputGradient, anchorGradient: anchorGradient)
        let (input, anchors, cosines) = (input.as(OpenCLBuffer.self), anchors.as(OpenCLBuffer.self), cosines.as(OpenCLBuffer.self))
        let outputGradient = outputGradient.as(OpenCLBuffer.self)
        let (inputGradient, anchorGradient) = (inputGradient?.as(OpenCLBuffer.self), anchorGradient?.as(OpenCLBuffer.self))
        guard m > 0 else {
            if let anchorGradient { try fill(anchorGradient, value: 0, count: anchorCount * n) }
            return
        }

        let program = try programs.program("cosine", options: tuning.cosineOptions)
        let group = [tuning.rowWorkGroup]
        let anchorScales = try scratch(count: anchorCount)
        try runtime.launch(program, "inverse_norms", global: [anchorCount], local: group,
                           [.int(anchorCount), .int(n), .buffer(anchors), .buffer(anchorScales)])
        let (w, gc, rowFactors) = (try scratch(count: m * anchorCount), try scratch(count: m * anchorCount), try scratch(count: m))
        try runtime.launch(program, "cosine_backward_rows", global: [m], local: group, [
            .int(m), .int(n), .int(d.classes), .int(d.anchorsPerClass), .float(d.epsilon),
            .buffer(input), .buffer(cosines), .buffer(outputGradient), .buffer(anchorScales), .buffer(w), .buffer(gc), .buffer(rowFactors),
        ])
        // gradient = diag(factors)·rows (the broadcasting multiply), then gradient += product·other by the GEMM.
        func gradient(_ gradient: OpenCLBuffer, rows: OpenCLBuffer, count: Int, factors: OpenCLBuffer, product: MatrixOperand,
                      other: OpenCLBuffer, k: Int) throws {
            try binary(.multiply, StridedView(rows, strides: [n, 1]), StridedView(factors, strides: [1, 0]), output: gradient, shape: [count, n])
            try enqueueGEMM(m: count, n: n, k: k, batch: 1, a: product, b: MatrixOperand(buffer: other, rowStride: n, columnStride: 1),
                            c: gradient, cOffset: 0, ldc: n, cBatchStride: 0, alpha: 1, beta: 1)
        }
        if let inputGradient {
            try gradient(inputGradient, rows: input, count: m, factors: rowFactors,
                         product: MatrixOperand(buffer: w, rowStride: anchorCount, columnStride: 1), other: anchors, k: anchorCount)
        }
        if let anchorGradient {
            let columnFactors = try scratch(count: anchorCount)
            try runtime.launch(program, "cosine_backward_columns", global: [anchorCount], local: group, [
                .int(m), .int(anchorCount), .buffer(gc), .buffer(anchorScales), .buffer(columnFactors),
            ])
            try gradient(anchorGradient, rows: anchors, count: anchorCount, factors: columnFactors,
                         product: MatrixOperand(buffer: w, rowStride: 1, columnStride: anchorCount), other: input, k: m)
        }
    }
}
