import KeelCore

extension CPUBackend {
    // Algorithm selection, per descriptor and the same for all three passes: direct loops when
    // `Convolution2D.prefersDirectLoops` (fewer than 4 output channels per group, or at most 2¹⁶
    // multiply-adds per image and group); otherwise, per image and group, im2col + `sgemm`
    // (skipping im2col for a pointwise 1×1/stride-1/unpadded kernel, whose input planes already
    // are the column matrix), with the batch split into one run of images per thread.

    /// The forward convolution: for each image and group, `output = filter · im2col(input)`.
    ///
    /// The batch is split into one run of images per thread, each image's GEMMs running on its
    /// thread; a 1×1, stride-1, unpadded kernel skips im2col (the input planes already are the
    /// column matrix). Small shapes (fewer than 4 output channels per group, as in a depthwise
    /// convolution, or at most 2¹⁶ multiply-adds per image and group) run direct loops instead,
    /// one output plane per task, vectorised along rows when the horizontal stride is 1 and there
    /// is no horizontal padding.
    /// - Parameters:
    ///   - descriptor: The geometry.
    ///   - input: A CPU buffer holding the `N×C×H×W` input.
    ///   - filter: A CPU buffer holding the `O×(C/groups)×KH×KW` filter.
    ///   - output: A CPU buffer for the `N×O×OH×OW` result, overwritten.
    public func conv2d(_ descriptor: Convolution2D, input: any DeviceBuffer, filter: any DeviceBuffer, output: any DeviceBuffer) throws {
        let (input, filter, output) = (input.as(CPUBuffer.self), filter.as(CPUBuffer.self), output.as(CPUBuffer.self))
        let d = descriptor
        require(input, holds: d.inputShape.elementCount, "conv2d", "\(d)", role: "an input")
        require(filter, holds: d.filterShape.elementCount, "conv2d", "\(d)", role: "a filter")
        require(output, holds: d.outputShape.elementCount, "conv2d", "\(d)", role: "an output")
        guard d.outputShape.elementCount > 0 else { return }
        if d.prefersDirectLoops {
            DirectConvolution.forward(d, input: input, filter: filter, output: output)
            return
        }
        let groupOut = d.groupOutputChannels
        try Self.forEachImageChunk(d) { _, images, columns in
            Self.forEachLoweredInput(d, input, images: images, columns: columns) { image, group, lowered in
                sgemm(transposeA: false, transposeB: false, m: groupOut, n: d.outputPlane, k: d.patchSize,
                      alpha: 1, a: filter.pointer + group * groupOut * d.patchSize, lda: d.patchSize,
                      b: lowered, ldb: d.outputPlane, beta: 0,
                      c: output.pointer + (image * d.outputChannels + group * groupOut) * d.outputPlane, ldc: d.outputPlane)
            }
        }
    }

    /// The input gradient: for each image and group, `col2im(filterᵀ · outputGradient)`.
    ///
    /// The same algorithm choice as ``conv2d(_:input:filter:output:)``: runs of images per
    /// thread, no col2im for a pointwise kernel, direct loops for small shapes.
    /// - Parameters:
    ///   - descriptor: The geometry of the forward pass.
    ///   - outputGradient: A CPU buffer holding the `N×O×OH×OW` gradient of the output.
    ///   - filter: A CPU buffer holding the forward pass's filter.
    ///   - inputGradient: A CPU buffer for the `N×C×H×W` result, overwritten.
    public func conv2dBackwardData(_ descriptor: Convolution2D, outputGradient: any DeviceBuffer, filter: any DeviceBuffer,
                                   inputGradient: any DeviceBuffer) throws {
        let outputGradient = outputGradient.as(CPUBuffer.self)
        let (filter, inputGradient) = (filter.as(CPUBuffer.self), inputGradient.as(CPUBuffer.self))
        let d = descriptor
        require(outputGradient, holds: d.outputShape.elementCount, "conv2dBackwardData", "\(d)", role: "an output gradient")
        require(filter, holds: d.filterShape.elementCount, "conv2dBackwardData", "\(d)", role: "a filter")
        require(inputGradient, holds: d.inputShape.elementCount, "conv2dBackwardData", "\(d)", role: "an input gradient")
        guard d.inputShape.elementCount > 0 else { return }
        if d.prefersDirectLoops {
            DirectConvolution.backwardData(d, outputGradient: outputGradient, filter: filter, inputGradient: inputGradient)
            return
        }
        if !d.isPointwise { try fill(inputGradient, value: 0, count: d.inputShape.elementCount) }
        let (groupOut, groupIn) = (d.groupOutputChannels, d.groupInputChannels)
        try Self.forEachImageChunk(d) { _, images, columns in
            for image in images {
                for group in 0..<d.groups {
                    let target = inputGradient.pointer + (image * d.inputChannels + group * groupIn) * d.inputPlane
                    sgemm(transposeA: true, transposeB: false, m: d.patchSize, n: d.outputPlane, k: groupOut,
                          alpha: 1, a: filter.pointer + group * groupOut * d.patchSize, lda: d.patchSize,
                          b: outputGradient.pointer + (image * d.outputChannels + group * groupOut) * d.outputPlane, ldb: d.outputPlane,
                          beta: 0, c: columns?.pointer ?? target, ldc: d.outputPlane)
                    if let columns { Im2Col.accumulate(d, columns: columns.pointer, into: target) }
                }
            }
        }
    }

    /// The filter gradient: for each group, `Σₙ outputGradient · im2col(input)ᵀ`.
    ///
    /// Each thread sums a run of images into its own partial filter gradient, and the partials
    /// are added in order at the end, so the result does not depend on scheduling. Small shapes
    /// run direct loops, as in ``conv2d(_:input:filter:output:)``; an empty batch gives zeros.
    /// - Parameters:
    ///   - descriptor: The geometry of the forward pass.
    ///   - input: A CPU buffer holding the forward pass's `N×C×H×W` input.
    ///   - outputGradient: A CPU buffer holding the `N×O×OH×OW` gradient of the output.
    ///   - filterGradient: A CPU buffer for the `O×(C/groups)×KH×KW` result, overwritten.
    public func conv2dBackwardFilter(_ descriptor: Convolution2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer,
                                     filterGradient: any DeviceBuffer) throws {
        let (input, outputGradient) = (input.as(CPUBuffer.self), outputGradient.as(CPUBuffer.self))
        let filterGradient = filterGradient.as(CPUBuffer.self)
        let d = descriptor
        require(input, holds: d.inputShape.elementCount, "conv2dBackwardFilter", "\(d)", role: "an input")
        require(outputGradient, holds: d.outputShape.elementCount, "conv2dBackwardFilter", "\(d)", role: "an output gradient")
        require(filterGradient, holds: d.filterShape.elementCount, "conv2dBackwardFilter", "\(d)", role: "a filter gradient")
        guard d.filterShape.elementCount > 0 else { return }
        guard d.batch > 0 else {
            try fill(filterGradient, value: 0, count: d.filterShape.elementCount)
            return
        }
        if d.prefersDirectLoops {
            DirectConvolution.backwardFilter(d, input: input, outputGradient: outputGradient, filterGradient: filterGradient)
            return
        }
        let groupOut = d.groupOutputChannels
        let filterCount = d.filterShape.elementCount
        // Chunk 0 sums into the result; every other chunk into its own buffer, added at the end.
        let partials = try (1..<Self.imageChunkCount(d)).map { _ in try CPUBuffer(count: filterCount) }
        try Self.forEachImageChunk(d) { chunk, images, columns in
            let target = chunk == 0 ? filterGradient : partials[chunk - 1]
            Self.forEachLoweredInput(d, input, images: images, columns: columns) { image, group, lowered in
                sgemm(transposeA: false, transposeB: true, m: groupOut, n: d.patchSize, k: d.outputPlane,
                      alpha: 1, a: outputGradient.pointer + (image * d.outputChannels + group * groupOut) * d.outputPlane, lda: d.outputPlane,
                      b: lowered, ldb: d.outputPlane, beta: image == images.lowerBound ? 0 : 1,
                      c: target.pointer + group * groupOut * d.patchSize, ldc: d.patchSize)
            }
        }
        for partial in partials {
            for index in 0..<filterCount { filterGradient.pointer[index] += partial.pointer[index] }
        }
    }

    /// How many runs of images ``forEachImageChunk(_:_:)`` splits the batch into: one per thread,
    /// at most one per image.
    private static func imageChunkCount(_ d: Convolution2D) -> Int {
        Swift.max(1, Swift.min(Parallel.threadCount, d.batch))
    }

    /// Calls `body(chunk, images, columns)` concurrently for contiguous runs of images covering the
    /// batch, with `columns` the chunk's own im2col scratch of `patchSize × outputPlane` elements
    /// (`nil` for a pointwise kernel), allocated before any chunk starts so that a failed
    /// allocation throws. The GEMMs inside run on the calling thread (the pool is busy), so each
    /// image's work stays on one core.
    private static func forEachImageChunk(_ d: Convolution2D,
                                          _ body: @Sendable (_ chunk: Int, _ images: Range<Int>, _ columns: CPUBuffer?) -> Void) throws {
        let chunks = imageChunkCount(d)
        let columns = try (0..<chunks).map { _ in d.isPointwise ? nil : try CPUBuffer(count: d.patchSize * d.outputPlane) }
        parallelFor(chunks) { chunk in body(chunk, d.batch * chunk / chunks ..< d.batch * (chunk + 1) / chunks, columns[chunk]) }
    }

    /// Calls `body(image, group, columns)` for every image of `images` and group in order, with `columns` the
    /// group's input lowered by im2col to `patchSize × outputPlane` in the scratch `columns` (the input itself
    /// when pointwise, where `columns` is `nil`).
    private static func forEachLoweredInput(_ d: Convolution2D, _ input: CPUBuffer, images: Range<Int>, columns: CPUBuffer?,
                                            _ body: (_ image: Int, _ group: Int, _ columns: UnsafePointer<Float>) -> Void) {
        for image in images {
            for group in 0..<d.groups {
                let source = UnsafePointer(input.pointer + (image * d.inputChannels + group * d.groupInputChannels) * d.inputPlane)
                guard let columns else {
                    body(image, group, source)
                    continue
                }
                Im2Col.lower(d, input: source, columns: columns.pointer)
                body(image, group, UnsafePointer(columns.pointer))
            }
        }
    }
}
