import KeelCore

/// The direct convolution passes for unit horizontal stride and no horizontal padding, the
/// common case (LeNet's layers), vectorised along output rows.
///
/// With those two conditions every output column `ow` reads input column `ow + kw·dilation`, so a
/// run of `V.scalarCount` outputs reads a contiguous run of inputs for every tap: one unaligned
/// vector load per multiply-add. A row narrower than a vector uses a narrower vector; the last
/// vector of a row starts at `width − lanes`, overlapping the previous one, and passes that
/// accumulate keep the overlap's running values instead of adding to them twice (masking the
/// result, not an operand: a zeroed operand times an infinity would be NaN).
enum RowConvolution {
    /// Whether the row kernels handle `d` (else ``DirectConvolution``'s scalar loops do).
    static func applies(to d: Convolution2D) -> Bool {
        d.strideWidth == 1 && d.paddingWidth == 0 && d.outputWidth >= 4
    }

    static func forward(_ d: Convolution2D, input: CPUBuffer, filter: CPUBuffer, output: CPUBuffer) {
        switch d.outputWidth {
        case 16...: forward(d, input, filter, output, SIMD16<Float>.self)
        case 8...: forward(d, input, filter, output, SIMD8<Float>.self)
        default: forward(d, input, filter, output, SIMD4<Float>.self)
        }
    }

    static func backwardData(_ d: Convolution2D, outputGradient: CPUBuffer, filter: CPUBuffer, inputGradient: CPUBuffer) {
        switch d.outputWidth {
        case 16...: backwardData(d, outputGradient, filter, inputGradient, SIMD16<Float>.self)
        case 8...: backwardData(d, outputGradient, filter, inputGradient, SIMD8<Float>.self)
        default: backwardData(d, outputGradient, filter, inputGradient, SIMD4<Float>.self)
        }
    }

    static func backwardFilter(_ d: Convolution2D, input: CPUBuffer, outputGradient: CPUBuffer, filterGradient: CPUBuffer) {
        switch d.outputWidth {
        case 16...: backwardFilter(d, input, outputGradient, filterGradient, SIMD16<Float>.self)
        case 8...: backwardFilter(d, input, outputGradient, filterGradient, SIMD8<Float>.self)
        default: backwardFilter(d, input, outputGradient, filterGradient, SIMD4<Float>.self)
        }
    }

    // MARK: - Passes

    /// One output plane `(n, o)` per task; each vector of an output row sums every channel and
    /// tap in a register and is stored once.
    private static func forward<V: SIMD>(_ d: Convolution2D, _ input: CPUBuffer, _ filter: CPUBuffer, _ output: CPUBuffer,
                                         _: V.Type) where V.Scalar == Float, V: SendableMetatype {
        let lanes = V.scalarCount, taps = d.kernelHeight * d.kernelWidth
        let work = Swift.max(1, d.patchSize * d.outputPlane)
        Parallel.forEachChunk(of: d.batch * d.outputChannels, grain: Swift.max(1, (1 << 15) / work)) { planes in
            for plane in planes {
                let (image, outputChannel) = (plane / d.outputChannels, plane % d.outputChannels)
                let group = outputChannel / d.groupOutputChannels
                let firstInput = input.pointer + (image * d.inputChannels + group * d.groupInputChannels) * d.inputPlane
                let weights = filter.pointer + outputChannel * d.patchSize
                for oh in 0..<d.outputHeight {
                    let row = output.pointer + plane * d.outputPlane + oh * d.outputWidth
                    forEachVector(width: d.outputWidth, lanes: lanes) { start in
                        var sum = V()
                        for channel in 0..<d.groupInputChannels {
                            let source = firstInput + channel * d.inputPlane
                            for kh in 0..<d.kernelHeight {
                                let ih = oh * d.strideHeight - d.paddingHeight + kh * d.dilationHeight
                                guard ih >= 0, ih < d.inputHeight else { continue }
                                let line = source + ih * d.inputWidth + start
                                let tapWeights = weights + channel * taps + kh * d.kernelWidth
                                for kw in 0..<d.kernelWidth {
                                    sum.addProduct(V(repeating: tapWeights[kw]), load(V.self, line + kw * d.dilationWidth))
                                }
                            }
                        }
                        store(sum, row + start)
                    }
                }
            }
        }
    }

    /// One input plane `(n, c)` per task: every output-gradient row is added, scaled by each tap's
    /// weight, into the input rows it came from.
    private static func backwardData<V: SIMD>(_ d: Convolution2D, _ outputGradient: CPUBuffer, _ filter: CPUBuffer,
                                              _ inputGradient: CPUBuffer, _: V.Type) where V.Scalar == Float, V: SendableMetatype {
        let lanes = V.scalarCount, taps = d.kernelHeight * d.kernelWidth
        let work = Swift.max(1, d.groupOutputChannels * taps * d.outputPlane)
        Parallel.forEachChunk(of: d.batch * d.inputChannels, grain: Swift.max(1, (1 << 15) / work)) { planes in
            let overlap = lastChunkOverlap(V.self, width: d.outputWidth)
            for plane in planes {
                let (image, inputChannel) = (plane / d.inputChannels, plane % d.inputChannels)
                let (group, channel) = (inputChannel / d.groupInputChannels, inputChannel % d.groupInputChannels)
                let target = inputGradient.pointer + plane * d.inputPlane
                target.update(repeating: 0, count: d.inputPlane)
                for outputChannel in group * d.groupOutputChannels..<(group + 1) * d.groupOutputChannels {
                    let source = outputGradient.pointer + (image * d.outputChannels + outputChannel) * d.outputPlane
                    let weights = filter.pointer + (outputChannel * d.groupInputChannels + channel) * taps
                    for oh in 0..<d.outputHeight {
                        let gradientRow = source + oh * d.outputWidth
                        for kh in 0..<d.kernelHeight {
                            let ih = oh * d.strideHeight - d.paddingHeight + kh * d.dilationHeight
                            guard ih >= 0, ih < d.inputHeight else { continue }
                            for kw in 0..<d.kernelWidth {
                                let weight = V(repeating: weights[kh * d.kernelWidth + kw])
                                let line = target + ih * d.inputWidth + kw * d.dilationWidth
                                forEachVector(width: d.outputWidth, lanes: lanes) { start in
                                    let current = load(V.self, line + start)
                                    var updated = current.addingProduct(weight, load(V.self, gradientRow + start))
                                    if start + lanes == d.outputWidth { updated.replace(with: current, where: overlap) }
                                    store(updated, line + start)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One filter row `(o, c)` per task: each tap's weight is a dot product of output-gradient rows
    /// with shifted input rows, summed in a vector per image and over images in Double.
    private static func backwardFilter<V: SIMD>(_ d: Convolution2D, _ input: CPUBuffer, _ outputGradient: CPUBuffer,
                                                _ filterGradient: CPUBuffer, _: V.Type) where V.Scalar == Float, V: SendableMetatype {
        let lanes = V.scalarCount, taps = d.kernelHeight * d.kernelWidth
        let work = Swift.max(1, d.batch * taps * d.outputPlane)
        Parallel.forEachChunk(of: d.outputChannels * d.groupInputChannels, grain: Swift.max(1, (1 << 15) / work)) { rows in
            let overlap = lastChunkOverlap(V.self, width: d.outputWidth)
            for filterRow in rows {
                let (outputChannel, channel) = (filterRow / d.groupInputChannels, filterRow % d.groupInputChannels)
                let group = outputChannel / d.groupOutputChannels
                let target = filterGradient.pointer + filterRow * taps
                for kh in 0..<d.kernelHeight {
                    for kw in 0..<d.kernelWidth {
                        var total = 0.0
                        for image in 0..<d.batch {
                            let source = input.pointer + (image * d.inputChannels + group * d.groupInputChannels + channel) * d.inputPlane
                            let gradient = outputGradient.pointer + (image * d.outputChannels + outputChannel) * d.outputPlane
                            var sum = V()
                            for oh in 0..<d.outputHeight {
                                let ih = oh * d.strideHeight - d.paddingHeight + kh * d.dilationHeight
                                guard ih >= 0, ih < d.inputHeight else { continue }
                                let line = source + ih * d.inputWidth + kw * d.dilationWidth
                                let gradientRow = gradient + oh * d.outputWidth
                                forEachVector(width: d.outputWidth, lanes: lanes) { start in
                                    let updated = sum.addingProduct(load(V.self, gradientRow + start), load(V.self, line + start))
                                    sum = start + lanes == d.outputWidth ? updated.replacing(with: sum, where: overlap) : updated
                                }
                            }
                            total += Double(sum.sum())
                        }
                        target[kh * d.kernelWidth + kw] = Float(total)
                    }
                }
            }
        }
    }

    // MARK: - Vectors along a row

    /// Calls `body` with the first column of each vector covering `0..<width` (`width ≥ lanes`):
    /// `0, lanes, 2·lanes, …`, then `width − lanes` when `lanes` does not divide `width`.
    @inline(__always)
    private static func forEachVector(width: Int, lanes: Int, _ body: (Int) -> Void) {
        var start = 0
        while start + lanes <= width {
            body(start)
            start += lanes
        }
        if start < width { body(width - lanes) }
    }

    /// Lanes of the last vector that the previous vector already covered (all false when `lanes`
    /// divides `width`).
    private static func lastChunkOverlap<V: SIMD>(_: V.Type, width: Int) -> SIMDMask<V.MaskStorage> where V.Scalar == Float, V: SendableMetatype {
        let lanes = V.scalarCount
        let covered = width % lanes == 0 ? 0 : lanes - width % lanes
        var indices = V()
        for lane in 0..<lanes { indices[lane] = Float(lane) }
        return indices .< V(repeating: Float(covered))
    }

    @inline(__always)
    private static func load<V: SIMD>(_: V.Type, _ pointer: UnsafeMutablePointer<Float>) -> V where V.Scalar == Float, V: SendableMetatype {
        UnsafeRawPointer(pointer).loadUnaligned(as: V.self)
    }

    @inline(__always)
    private static func store<V: SIMD>(_ vector: V, _ pointer: UnsafeMutablePointer<Float>) where V.Scalar == Float, V: SendableMetatype {
        UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: V.self)
    }
}
