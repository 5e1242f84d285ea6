import KeelCore

/// The im2col lowering and its adjoint col2im for one image and one group.
///
/// The column matrix has `patchSize` rows, one per `(channel, kh, kw)` of the group, and
/// `outputPlane` columns; entry `(r, oh·OW + ow)` is the input element that filter tap `r`
/// meets at output `(oh, ow)`, or 0 in the padding.
enum Im2Col {
    /// Fills `columns` from the group's input planes starting at `input`; rows on all threads.
    static func lower(_ d: Convolution2D, input: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>) {
        let (source, destination) = (SharedPointer(input), SharedPointer(columns))
        let taps = d.kernelHeight * d.kernelWidth
        Parallel.forEachChunk(of: d.patchSize, grain: Swift.max(1, (1 << 15) / d.outputPlane)) { rows in
            for row in rows {
                let (channel, kh, kw) = (row / taps, row % taps / d.kernelWidth, row % d.kernelWidth)
                let offsetW = kw * d.dilationWidth - d.paddingWidth
                let valid = Convolution2D.validOutputs(offset: offsetW, stride: d.strideWidth, size: d.inputWidth, outputs: d.outputWidth)
                let plane = source.base + channel * d.inputPlane
                for oh in 0..<d.outputHeight {
                    let target = destination.base + row * d.outputPlane + oh * d.outputWidth
                    let ih = oh * d.strideHeight - d.paddingHeight + kh * d.dilationHeight
                    guard ih >= 0, ih < d.inputHeight, !valid.isEmpty else {
                        target.update(repeating: 0, count: d.outputWidth)
                        continue
                    }
                    target.update(repeating: 0, count: valid.lowerBound)
                    (target + valid.upperBound).update(repeating: 0, count: d.outputWidth - valid.upperBound)
                    let line = plane + ih * d.inputWidth + offsetW
                    if d.strideWidth == 1 {
                        (target + valid.lowerBound).update(from: line + valid.lowerBound, count: valid.count)
                    } else {
                        for ow in valid { target[ow] = line[ow * d.strideWidth] }
                    }
                }
            }
        }
    }

    /// Adds `columns` back onto the group's input-gradient planes at `input` (the adjoint of
    /// ``lower(_:input:columns:)``); one channel per task, so no two threads add to one element.
    static func accumulate(_ d: Convolution2D, columns: UnsafePointer<Float>, into input: UnsafeMutablePointer<Float>) {
        let (source, destination) = (SharedPointer(columns), SharedPointer(input))
        let taps = d.kernelHeight * d.kernelWidth
        Parallel.forEachChunk(of: d.groupInputChannels, grain: Swift.max(1, (1 << 15) / (taps * d.outputPlane))) { channels in
            for channel in channels {
                let plane = destination.base + channel * d.inputPlane
                for kh in 0..<d.kernelHeight {
                    for kw in 0..<d.kernelWidth {
                        let row = (channel * d.kernelHeight + kh) * d.kernelWidth + kw
                        let offsetW = kw * d.dilationWidth - d.paddingWidth
                        let valid = Convolution2D.validOutputs(offset: offsetW, stride: d.strideWidth, size: d.inputWidth, outputs: d.outputWidth)
                        for oh in 0..<d.outputHeight {
                            let ih = oh * d.strideHeight - d.paddingHeight + kh * d.dilationHeight
                            guard ih >= 0, ih < d.inputHeight else { continue }
                            let values = source.base + row * d.outputPlane + oh * d.outputWidth
                            let line = plane + ih * d.inputWidth + offsetW
                            for ow in valid { line[ow * d.strideWidth] += values[ow] }
                        }
                    }
                }
            }
        }
    }
}
