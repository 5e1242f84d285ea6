import KeelCore

// The three conv2d passes are GEMMs around the kernels of `Kernels/conv.cl`, on a column matrix
// with one row per output position (of every image in a chunk) and one column per filter tap:
//  - forward: im2col straight into the GEMM's packed panels (positions × taps per group), then per
//    group one GEMM `filter · columns` batched over images, which writes the NCHW output directly;
//    small stride-1 convolutions (`runsDirect`) skip the lowering and run `conv_direct` instead;
//  - data gradient: the output gradient transposed to (position, channel), per group
//    `columns = outputGradient · filter`, then a col2im gather;
//  - filter gradient: im2col and the transposed output gradient, then per group one GEMM
//    `filterGradient = outputGradientᵀ · columns` whose sum runs over images and positions together.
// Batches whose scratch buffers would exceed the device's largest allocation run in chunks of images.

extension OpenCLBackend {
    /// The forward convolution: im2col into packed GEMM panels, then `filter · columns` per group,
    /// batched over the images, straight into the NCHW output.
    ///
    /// Stride-1 convolutions with at least two taps per channel, output rows of at least 8 and at
    /// most 48 output channels per group skip the lowering and run one direct kernel (after
    /// zero-padding the input into scratch memory when the convolution pads). Batches whose
    /// scratch buffers would exceed the device's largest allocation run in chunks of images.
    /// - Parameters:
    ///   - descriptor: The geometry.
    ///   - input: An OpenCL buffer holding the `N×C×H×W` input.
    ///   - filter: An OpenCL buffer holding the `O×(C/groups)×KH×KW` filter.
    ///   - output: An OpenCL buffer for the `N×O×OH×OW` result, overwritten.
    /// - Throws: ``OpenCLError`` when the kernel's program fails to build or load (first use only)
    ///   or the launch cannot be enqueued; `KeelError.outOfMemory` when scratch memory runs out.
    ///   Failures while the kernels run surface at the next ``download(_:into:)`` or ``synchronize()``.
    public func conv2d(_ descriptor: Convolution2D, input: any DeviceBuffer, filter: any DeviceBuffer, output: any DeviceBuffer) throws {
        let (input, filter, output) = (input.as(OpenCLBuffer.self), filter.as(OpenCLBuffer.self), output.as(OpenCLBuffer.self))
        let d = descriptor
        require(input, holds: d.inputShape.elementCount, "conv2d", "\(d)", role: "an input")
        require(filter, holds: d.filterShape.elementCount, "conv2d", "\(d)", role: "a filter")
        require(output, holds: d.outputShape.elementCount, "conv2d", "\(d)", role: "an output")
        if d.runsDirect { return try directConv2d(d, input: input, filter: filter, output: output) }
        let (groupOut, patch, plane) = (d.groupOutputChannels, d.patchSize, d.outputPlane)
        let program = try programs.program("conv", options: tuning.convolutionOptions)
        let perGroup = packedCount(k: patch, n: plane)
        let chunk = imagesPerChunk(d)
        let packed = try scratch(count: Swift.min(chunk, d.batch) * d.groups * perGroup)
        for first in stride(from: 0, to: d.batch, by: chunk) {
            let images = Swift.min(chunk, d.batch - first)
            try runtime.launch(program, "im2col_packed", global: [images * d.taps], local: workGroup(for: [images * d.taps]), [
                d.geometry, .int(d.groups), .int(images), .buffer(input), .int(first * d.inputChannels * d.inputHeight * d.inputWidth),
                .buffer(packed),
            ])
            for group in 0..<d.groups {
                try enqueuePackedGEMM(
                    m: groupOut, n: plane, k: patch, batch: images,
                    a: MatrixOperand(buffer: filter, offset: group * groupOut * patch, rowStride: patch, columnStride: 1),
                    b: PackedOperand(buffer: packed, offset: group * perGroup, batchStride: d.groups * perGroup),
                    c: output, cOffset: (first * d.outputChannels + group * groupOut) * plane, ldc: plane,
                    cBatchStride: d.outputChannels * plane, alpha: 1, beta: 0)
            }
        }
    }

    /// The forward pass without lowering (`conv_direct`), for the shapes `runsDirect` selects: the
    /// input is zero-padded into scratch first when the convolution pads.
    private func directConv2d(_ d: Convolution2D, input: OpenCLBuffer, filter: OpenCLBuffer, output: OpenCLBuffer) throws {
        let program = try programs.program("conv", options: tuning.convolutionOptions)
        let (height, width) = (d.inputHeight + 2 * d.paddingHeight, d.inputWidth + 2 * d.paddingWidth)
        let pads = d.paddingHeight > 0 || d.paddingWidth > 0
        let limit = Swift.min(device.maxAllocationBytes / MemoryLayout<Float>.stride, Int(Int32.max))
        let chunk = Swift.max(1, limit / Swift.max(1, d.inputChannels * height * width, d.outputChannels * d.outputPlane))
        let padded = pads ? try scratch(count: Swift.min(chunk, d.batch) * d.inputChannels * height * width) : input
        let geometry = KernelArgument.int32s([d.inputChannels, height, width, d.outputHeight, d.outputWidth, d.kernelHeight,
                                              d.kernelWidth, 1, 1, 0, 0, d.dilationHeight, d.dilationWidth])
        let blocks = (d.groupOutputChannels + tuning.directChannels - 1) / tuning.directChannels
        let positions = 8 * tuning.directChunks
        for first in stride(from: 0, to: d.batch, by: chunk) {
            let images = Swift.min(chunk, d.batch - first)
            let inputOffset = first * d.inputChannels * d.inputHeight * d.inputWidth
            if pads {
                try runtime.launch(program, "pad_planes", global: [height, images * d.inputChannels], [
                    d.geometry, .int(images), .buffer(input), .int(inputOffset), .buffer(padded),
                ])
            }
            try runtime.launch(program, "conv_direct", global: [(d.outputPlane + positions - 1) / positions, d.groups * blocks, images], [
                geometry, .int(d.groups), .int(d.outputChannels), .int(images), .buffer(padded), .int(pads ? 0 : inputOffset),
                .buffer(filter), .buffer(output), .int(first * d.outputChannels * d.outputPlane),
            ])
        }
    }

    /// The input gradient: per group `columns = outputGradient · filter` over positions, then a col2im gather.
    ///
    /// The output gradient is first transposed to (position, channel); large batches run in
    /// chunks of images, as in ``conv2d(_:input:filter:output:)``.
    /// - Parameters:
    ///   - descriptor: The geometry of the forward pass.
    ///   - outputGradient: An OpenCL buffer holding the `N×O×OH×OW` gradient of the output.
    ///   - filter: An OpenCL buffer holding the forward pass's filter.
    ///   - inputGradient: An OpenCL buffer for the `N×C×H×W` result, overwritten.
    /// - Throws: ``OpenCLError`` when the kernel's program fails to build or load (first use only)
    ///   or the launch cannot be enqueued; `KeelError.outOfMemory` when scratch memory runs out.
    ///   Failures while the kernels run surface at the next ``download(_:into:)`` or ``synchronize()``.
    public func conv2dBackwardData(_ descriptor: Convolution2D, outputGradient: any DeviceBuffer, filter: any DeviceBuffer,
                                   inputGradient: any DeviceBuffer) throws {
        let outputGradient = outputGradient.as(OpenCLBuffer.self)
        let (filter, inputGradient) = (filter.as(OpenCLBuffer.self), inputGradient.as(OpenCLBuffer.self))
        let d = descriptor
        require(outputGradient, holds: d.outputShape.elementCount, "conv2dBackwardData", "\(d)", role: "an output gradient")
        require(filter, holds: d.filterShape.elementCount, "conv2dBackwardData", "\(d)", role: "a filter")
        require(inputGradient, holds: d.inputShape.elementCount, "conv2dBackwardData", "\(d)", role: "an input gradient")
        let (groupOut, patch, plane) = (d.groupOutputChannels, d.patchSize, d.outputPlane)
        let program = try programs.program("conv", options: tuning.convolutionOptions)
        let chunk = imagesPerChunk(d)
        let gradientRows = try scratch(count: Swift.min(chunk, d.batch) * plane * d.outputChannels)
        let columns = try scratch(count: Swift.min(chunk, d.batch) * plane * d.taps)
        for first in stride(from: 0, to: d.batch, by: chunk) {
            let images = Swift.min(chunk, d.batch - first)
            try transpose(outputGradient, sourceOffset: first * d.outputChannels * plane, into: gradientRows, destinationOffset: 0,
                          rows: d.outputChannels, columns: plane, images: images)
            for group in 0..<d.groups {
                try enqueueGEMM(
                    m: images * plane, n: patch, k: groupOut, batch: 1,
                    a: MatrixOperand(buffer: gradientRows, offset: group * groupOut, rowStride: d.outputChannels, columnStride: 1),
                    b: MatrixOperand(buffer: filter, offset: group * groupOut * patch, rowStride: patch, columnStride: 1),
                    c: columns, cOffset: group * patch, ldc: d.taps, cBatchStride: 0, alpha: 1, beta: 0)
            }
            try runtime.launch(program, "col2im", global: [d.inputHeight, images * d.inputChannels], [
                d.geometry, .buffer(columns), .buffer(inputGradient), .int(first * d.inputChannels * d.inputHeight * d.inputWidth),
            ])
        }
    }

    /// The filter gradient: per group one GEMM `outputGradientᵀ · columns` summing over images and positions.
    ///
    /// Chunks of images after the first accumulate into the result (`β = 1`); an empty batch
    /// gives zeros.
    /// - Parameters:
    ///   - descriptor: The geometry of the forward pass.
    ///   - input: An OpenCL buffer holding the forward pass's `N×C×H×W` input.
    ///   - outputGradient: An OpenCL buffer holding the `N×O×OH×OW` gradient of the output.
    ///   - filterGradient: An OpenCL buffer for the `O×(C/groups)×KH×KW` result, overwritten.
    /// - Throws: ``OpenCLError`` when the kernel's program fails to build or load (first use only)
    ///   or the launch cannot be enqueued; `KeelError.outOfMemory` when scratch memory runs out.
    ///   Failures while the kernels run surface at the next ``download(_:into:)`` or ``synchronize()``.
    public func conv2dBackwardFilter(_ descriptor: Convolution2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer,
                                     filterGradient: any DeviceBuffer) throws {
        let (input, outputGradient) = (input.as(OpenCLBuffer.self), outputGradient.as(OpenCLBuffer.self))
        let filterGradient = filterGradient.as(OpenCLBuffer.self)
        let d = descriptor
        require(input, holds: d.inputShape.elementCount, "conv2dBackwardFilter", "\(d)", role: "an input")
        require(outputGradient, holds: d.outputShape.elementCount, "conv2dBackwardFilter", "\(d)", role: "an output gradient")
        require(filterGradient, holds: d.filterShape.elementCount, "conv2dBackwardFilter", "\(d)", role: "a filter gradient")
        guard d.batch > 0 else { return try fill(filterGradient, value: 0, count: d.filterShape.elementCount) }
        let (groupOut, patch, plane) = (d.groupOutputChannels, d.patchSize, d.outputPlane)
        let chunk = imagesPerChunk(d)
        let columns = try scratch(count: Swift.min(chunk, d.batch) * plane * d.taps)
        let gradientRows = try scratch(count: Swift.min(chunk, d.batch) * plane * d.outputChannels)
        for first in stride(from: 0, to: d.batch, by: chunk) {
            let images = Swift.min(chunk, d.batch - first)
            try lower(d, input, firstImage: first, images: images, into: columns)
            try transpose(outputGradient, sourceOffset: first * d.outputChannels * plane, into: gradientRows, destinationOffset: 0,
                          rows: d.outputChannels, columns: plane, images: images)
            for group in 0..<d.groups {
                try enqueueGEMM(
                    m: groupOut, n: patch, k: images * plane, batch: 1,
                    a: MatrixOperand(buffer: gradientRows, offset: group * groupOut, rowStride: 1, columnStride: d.outputChannels),
                    b: MatrixOperand(buffer: columns, offset: group * patch, rowStride: d.taps, columnStride: 1),
                    c: filterGradient, cOffset: group * groupOut * patch, ldc: patch, cBatchStride: 0,
                    alpha: 1, beta: first == 0 ? 0 : 1)
            }
        }
    }

    /// Enqueues im2col of `images` images from `firstImage` on into `columns`.
    private func lower(_ d: Convolution2D, _ input: OpenCLBuffer, firstImage: Int, images: Int, into columns: OpenCLBuffer) throws {
        try runtime.launch(try programs.program("conv", options: tuning.convolutionOptions), "im2col", global: [images * d.taps], [
            d.geometry, .buffer(input), .int(firstImage * d.inputChannels * d.inputHeight * d.inputWidth), .buffer(columns),
        ])
    }

    /// Enqueues the transposition of `images` consecutive `rows × columns` matrices.
    private func transpose(_ source: OpenCLBuffer, sourceOffset: Int, into destination: OpenCLBuffer, destinationOffset: Int,
                           rows: Int, columns: Int, images: Int) throws {
        try runtime.launch(try programs.program("conv", options: tuning.convolutionOptions), "transpose", global: [columns, images], [
            .buffer(source), .int(sourceOffset), .buffer(destination), .int(destinationOffset), .int(rows), .int(columns),
        ])
    }

    /// Images per chunk such that no per-chunk scratch buffer (the columns, packed or not, the
    /// transposed output gradient, or the filter-gradient GEMM's packed columns) exceeds one
    /// allocation or 32-bit indexing.
    private func imagesPerChunk(_ d: Convolution2D) -> Int {
        let limit = Swift.min(device.maxAllocationBytes / MemoryLayout<Float>.stride, Int(Int32.max))
        let perImage = Swift.max(1, d.taps * d.outputPlane, d.outputChannels * d.outputPlane,
                                 packedCount(k: d.outputPlane, n: d.patchSize), d.groups * packedCount(k: d.patchSize, n: d.outputPlane))
        return Swift.max(1, limit / perImage)
    }
}

extension Convolution2D {
    /// Output channels per group.
    fileprivate var groupOutputChannels: Int { outputChannels / groups }
    /// Filter taps of one group, `C/groups · KH · KW`: a group's share of the column matrix's columns.
    fileprivate var patchSize: Int { inputChannels / groups * kernelHeight * kernelWidth }
    /// Filter taps over all input channels: the column matrix's columns.
    fileprivate var taps: Int { inputChannels * kernelHeight * kernelWidth }
    /// Output positions per image: the column matrix's rows per image.
    fileprivate var outputPlane: Int { outputHeight * outputWidth }

    /// Whether the forward pass runs `conv_direct` rather than im2col + GEMM: stride 1, at least
    /// two taps per input channel, output rows of at least 8 (`conv_direct`'s vectors cross at most
    /// one row end), and at most 48 output channels per group. The lowering costs about as much as
    /// the GEMM's share of one output channel, so the GEMM path catches up as the output channels
    /// grow: on PoCL the direct kernel was even or behind from 64 on. 1×1 kernels (plain GEMMs)
    /// are faster through the GEMM path beyond a few output channels (see Docs/Benchmarks.md).
    fileprivate var runsDirect: Bool {
        strideHeight == 1 && strideWidth == 1 && kernelHeight * kernelWidth > 1 && outputWidth >= 8 && groupOutputChannels <= 48
    }

    /// The `Geometry` struct of `conv.cl`.
    fileprivate var geometry: KernelArgument {
        .int32s([inputChannels, inputHeight, inputWidth, outputHeight, outputWidth, kernelHeight, kernelWidth,
                 strideHeight, strideWidth, paddingHeight, paddingWidth, dilationHeight, dilationWidth])
    }
}
