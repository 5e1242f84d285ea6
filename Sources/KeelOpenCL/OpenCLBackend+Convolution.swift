import KeelCore

// The three conv2d passes are GEMMs around the kernels of `Kernels/conv.cl`, on a column matrix
// with one row per output position (of every image in a chunk) and one column per filter tap:
//  - forward: im2col, then per group `result = columns · filterᵀ` (columns read in place, only the
//    filter packed), then each image's (position, channel) result transposed into NCHW;
//  - data gradient: the output gradient transposed to (position, channel), per group
//    `columns = outputGradient · filter`, then a col2im gather;
//  - filter gradient: im2col and the transposed output gradient, then per group one GEMM
//    `filterGradient = outputGradientᵀ · columns` whose sum runs over images and positions together.
// Batches whose scratch buffers would exceed the device's largest allocation run in chunks of images.

extension OpenCLBackend {
    /// The forward convolution: im2col, then `columns · filterᵀ` per group, transposed into the output.
    public func conv2d(_ descriptor: Convolution2D, input: any DeviceBuffer, filter: any DeviceBuffer, output: any DeviceBuffer) throws {
        let (input, filter, output) = (input.as(OpenCLBuffer.self), filter.as(OpenCLBuffer.self), output.as(OpenCLBuffer.self))
        let d = descriptor
        require(input, holds: d.inputShape.elementCount, "conv2d", "\(d)", role: "an input")
        require(filter, holds: d.filterShape.elementCount, "conv2d", "\(d)", role: "a filter")
        require(output, holds: d.outputShape.elementCount, "conv2d", "\(d)", role: "an output")
        let (groupOut, patch, plane) = (d.groupOutputChannels, d.patchSize, d.outputPlane)
        let chunk = imagesPerChunk(d)
        let columns = try scratch(count: Swift.min(chunk, d.batch) * plane * d.taps)
        let result = try scratch(count: Swift.min(chunk, d.batch) * plane * d.outputChannels)
        for first in stride(from: 0, to: d.batch, by: chunk) {
            let images = Swift.min(chunk, d.batch - first)
            try lower(d, input, firstImage: first, images: images, into: columns)
            for group in 0..<d.groups {
                try enqueueGEMM(
                    m: images * plane, n: groupOut, k: patch, batch: 1,
                    a: MatrixOperand(buffer: columns, offset: group * patch, rowStride: d.taps, columnStride: 1),
                    b: MatrixOperand(buffer: filter, offset: group * groupOut * patch, rowStride: 1, columnStride: patch),
                    c: result, cOffset: group * groupOut, ldc: d.outputChannels, cBatchStride: 0, alpha: 1, beta: 0)
            }
            try transpose(result, sourceOffset: 0, into: output, destinationOffset: first * d.outputChannels * plane,
                          rows: plane, columns: d.outputChannels, images: images)
        }
    }

    /// The input gradient: per group `columns = outputGradient · filter` over positions, then a col2im gather.
    public func conv2dBackwardData(_ descriptor: Convolution2D, outputGradient: any DeviceBuffer, filter: any DeviceBuffer,
                                   inputGradient: any DeviceBuffer) throws {
        let outputGradient = outputGradient.as(OpenCLBuffer.self)
        let (filter, inputGradient) = (filter.as(OpenCLBuffer.self), inputGradient.as(OpenCLBuffer.self))
        let d = descriptor
        require(outputGradient, holds: d.outputShape.elementCount, "conv2dBackwardData", "\(d)", role: "an output gradient")
        require(filter, holds: d.filterShape.elementCount, "conv2dBackwardData", "\(d)", role: "a filter")
        require(inputGradient, holds: d.inputShape.elementCount, "conv2dBackwardData", "\(d)", role: "an input gradient")
        let (groupOut, patch, plane) = (d.groupOutputChannels, d.patchSize, d.outputPlane)
        let program = try programs.program("conv")
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
        try runtime.launch(try programs.program("conv"), "im2col", global: [images * d.taps], [
            d.geometry, .buffer(input), .int(firstImage * d.inputChannels * d.inputHeight * d.inputWidth), .buffer(columns),
        ])
    }

    /// Enqueues the transposition of `images` consecutive `rows × columns` matrices.
    private func transpose(_ source: OpenCLBuffer, sourceOffset: Int, into destination: OpenCLBuffer, destinationOffset: Int,
                           rows: Int, columns: Int, images: Int) throws {
        try runtime.launch(try programs.program("conv"), "transpose", global: [columns, images], [
            .buffer(source), .int(sourceOffset), .buffer(destination), .int(destinationOffset), .int(rows), .int(columns),
        ])
    }

    /// Images per chunk such that no per-chunk scratch buffer (the columns, the transposed output
    /// gradient or result, or the filter-gradient GEMM's packed columns) exceeds one allocation or
    /// 32-bit indexing.
    private func imagesPerChunk(_ d: Convolution2D) -> Int {
        let panel = tuning.gemmColumns
        let limit = Swift.min(device.maxAllocationBytes / MemoryLayout<Float>.stride, Int(Int32.max))
        let perImage = Swift.max(1, d.taps, d.outputChannels, (d.patchSize + panel - 1) / panel * panel) * d.outputPlane
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

    /// The `Geometry` struct of `conv.cl`.
    fileprivate var geometry: KernelArgument {
        .int32s([inputChannels, inputHeight, inputWidth, outputHeight, outputWidth, kernelHeight, kernelWidth,
                 strideHeight, strideWidth, paddingHeight, paddingWidth, dilationHeight, dilationWidth])
    }
}
