import KeelCore

/// Convolution passes as direct loops, for shapes too small for im2col + GEMM to pay off
/// (see ``Convolution2D/prefersDirectLoops``). Each task owns whole output planes or filter rows.
/// Unit horizontal stride without horizontal padding goes to the vectorised ``RowConvolution``.
enum DirectConvolution {
    /// `output = input ⋆ filter`, one output plane `(n, o)` per task.
    static func forward(_ d: Convolution2D, input: CPUBuffer, filter: CPUBuffer, output: CPUBuffer) {
        if RowConvolution.applies(to: d) { return RowConvolution.forward(d, input: input, filter: filter, output: output) }
        let work = Swift.max(1, d.patchSize * d.outputPlane)
        Parallel.forEachChunk(of: d.batch * d.outputChannels, grain: Swift.max(1, (1 << 15) / work)) { planes in
            for plane in planes {
                let (image, outputChannel) = (plane / d.outputChannels, plane % d.outputChannels)
                let group = outputChannel / d.groupOutputChannels
                let target = output.pointer + plane * d.outputPlane
                target.update(repeating: 0, count: d.outputPlane)
                for channel in 0..<d.groupInputChannels {
                    let source = input.pointer + (image * d.inputChannels + group * d.groupInputChannels + channel) * d.inputPlane
                    let weights = filter.pointer + (outputChannel * d.groupInputChannels + channel) * d.kernelHeight * d.kernelWidth
                    forEachTap(d) { kh, kw, ih, oh, offsetW, valid in
                        let weight = weights[kh * d.kernelWidth + kw]
                        let line = source + ih * d.inputWidth + offsetW
                        let row = target + oh * d.outputWidth
                        for ow in valid { row[ow] += weight * line[ow * d.strideWidth] }
                    }
                }
            }
        }
    }

    /// The input gradient, one input plane `(n, c)` per task.
    static func backwardData(_ d: Convolution2D, outputGradient: CPUBuffer, filter: CPUBuffer, inputGradient: CPUBuffer) {
        if RowConvolution.applies(to: d) {
            return RowConvolution.backwardData(d, outputGradient: outputGradient, filter: filter, inputGradient: inputGradient)
        }
        let work = Swift.max(1, d.groupOutputChannels * d.kernelHeight * d.kernelWidth * d.outputPlane)
        Parallel.forEachChunk(of: d.batch * d.inputChannels, grain: Swift.max(1, (1 << 15) / work)) { planes in
            for plane in planes {
                let (image, inputChannel) = (plane / d.inputChannels, plane % d.inputChannels)
                let (group, channel) = (inputChannel / d.groupInputChannels, inputChannel % d.groupInputChannels)
                let target = inputGradient.pointer + plane * d.inputPlane
                target.update(repeating: 0, count: d.inputPlane)
                for outputChannel in group * d.groupOutputChannels..<(group + 1) * d.groupOutputChannels {
                    let source = outputGradient.pointer + (image * d.outputChannels + outputChannel) * d.outputPlane
                    let weights = filter.pointer + (outputChannel * d.groupInputChannels + channel) * d.kernelHeight * d.kernelWidth
                    forEachTap(d) { kh, kw, ih, oh, offsetW, valid in
                        let weight = weights[kh * d.kernelWidth + kw]
                        let line = target + ih * d.inputWidth + offsetW
                        let row = source + oh * d.outputWidth
                        for ow in valid { line[ow * d.strideWidth] += weight * row[ow] }
                    }
                }
            }
        }
    }

    /// The filter gradient, one filter row `(o, c)` per task; each weight sums its image rows in
    /// Float and the rows in Double.
    static func backwardFilter(_ d: Convolution2D, input: CPUBuffer, outputGradient: CPUBuffer, filterGradient: CPUBuffer) {
        if RowConvolution.applies(to: d) {
            return RowConvolution.backwardFilter(d, input: input, outputGradient: outputGradient, filterGradient: filterGradient)
        }
        let taps = d.kernelHeight * d.kernelWidth
        let work = Swift.max(1, d.batch * taps * d.outputPlane)
        Parallel.forEachChunk(of: d.outputChannels * d.groupInputChannels, grain: Swift.max(1, (1 << 15) / work)) { rows in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: taps) { sums in
                let sums = sums.baseAddress!
                for filterRow in rows {
                    let (outputChannel, channel) = (filterRow / d.groupInputChannels, filterRow % d.groupInputChannels)
                    let group = outputChannel / d.groupOutputChannels
                    sums.update(repeating: 0, count: taps)
                    for image in 0..<d.batch {
                        let source = input.pointer + (image * d.inputChannels + group * d.groupInputChannels + channel) * d.inputPlane
                        let gradient = outputGradient.pointer + (image * d.outputChannels + outputChannel) * d.outputPlane
                        forEachTap(d) { kh, kw, ih, oh, offsetW, valid in
                            let line = source + ih * d.inputWidth + offsetW
                            let row = gradient + oh * d.outputWidth
                            var total: Float = 0
                            for ow in valid { total += row[ow] * line[ow * d.strideWidth] }
                            sums[kh * d.kernelWidth + kw] += Double(total)
                        }
                    }
                    let target = filterGradient.pointer + filterRow * taps
                    for tap in 0..<taps { target[tap] = Float(sums[tap]) }
                }
            }
        }
    }

    /// Calls `body(kh, kw, ih, oh, offsetW, validOutputColumns)` for every filter tap and output
    /// row whose input row `ih` is in bounds; input column of output `ow` is `ow·strideW + offsetW`.
    @inline(__always)
    private static func forEachTap(_ d: Convolution2D, _ body: (Int, Int, Int, Int, Int, Range<Int>) -> Void) {
        for kh in 0..<d.kernelHeight {
            for kw in 0..<d.kernelWidth {
                let offsetW = kw * d.dilationWidth - d.paddingWidth
                let valid = Convolution2D.validOutputs(offset: offsetW, stride: d.strideWidth, size: d.inputWidth, outputs: d.outputWidth)
                guard !valid.isEmpty else { continue }
                for oh in 0..<d.outputHeight {
                    let ih = oh * d.strideHeight - d.paddingHeight + kh * d.dilationHeight
                    if ih >= 0, ih < d.inputHeight { body(kh, kw, ih, oh, offsetW, valid) }
                }
            }
        }
    }
}
