// 2-D convolution, forward and both gradients.
//
// All three passes walk the same set of taps (output position, filter element, input
// element) of the cross-correlation, so each is one line over `forEachTap`: the forward pass
// sums input·filter into the output, the data gradient sums outputGradient·filter into the
// input, the filter gradient sums outputGradient·input into the filter.

extension ReferenceBackend {
    /// `output[n,o,oh,ow] = Σ input[n, group(o)·C/groups + c, oh·s − p + kh·d, ow·s − p + kw·d] · filter[o,c,kh,kw]`,
    /// a direct loop over every in-bounds tap, summed in Double.
    /// - Parameters:
    ///   - descriptor: The geometry.
    ///   - input: The `N×C×H×W` input.
    ///   - filter: The `O×(C/groups)×KH×KW` filter.
    ///   - output: The `N×O×OH×OW` result, overwritten.
    public func conv2d(_ descriptor: Convolution2D, input: any DeviceBuffer, filter: any DeviceBuffer, output: any DeviceBuffer) throws {
        let description = "conv2d \(descriptor)"
        let input = checked(input, holds: descriptor.inputShape.elementCount, "input", in: description)
        let filter = checked(filter, holds: descriptor.filterShape.elementCount, "filter", in: description)
        let output = checked(output, holds: descriptor.outputShape.elementCount, "output", in: description)
        var result = [Double](repeating: 0, count: descriptor.outputShape.elementCount)
        Self.forEachTap(of: descriptor) { inputIndex, filterIndex, outputIndex in
            result[outputIndex] += input[inputIndex] * filter[filterIndex]
        }
        write(result, to: output)
    }

    /// Overwrites `inputGradient` with the gradient of the forward pass with respect to its input,
    /// scattering `outputGradient · filter` over the same taps as the forward loop.
    /// - Parameters:
    ///   - descriptor: The geometry of the forward pass.
    ///   - outputGradient: The `N×O×OH×OW` gradient of the forward output.
    ///   - filter: The forward pass's filter.
    ///   - inputGradient: The `N×C×H×W` result, overwritten.
    public func conv2dBackwardData(_ descriptor: Convolution2D, outputGradient: any DeviceBuffer, filter: any DeviceBuffer, inputGradient: any DeviceBuffer) throws {
        let description = "conv2dBackwardData \(descriptor)"
        let outputGradient = checked(outputGradient, holds: descriptor.outputShape.elementCount, "outputGradient", in: description)
        let filter = checked(filter, holds: descriptor.filterShape.elementCount, "filter", in: description)
        let inputGradient = checked(inputGradient, holds: descriptor.inputShape.elementCount, "inputGradient", in: description)
        var result = [Double](repeating: 0, count: descriptor.inputShape.elementCount)
        Self.forEachTap(of: descriptor) { inputIndex, filterIndex, outputIndex in
            result[inputIndex] += outputGradient[outputIndex] * filter[filterIndex]
        }
        write(result, to: inputGradient)
    }

    /// Overwrites `filterGradient` with the gradient of the forward pass with respect to the filter,
    /// summing `outputGradient · input` over the same taps as the forward loop.
    /// - Parameters:
    ///   - descriptor: The geometry of the forward pass.
    ///   - input: The forward pass's `N×C×H×W` input.
    ///   - outputGradient: The `N×O×OH×OW` gradient of the forward output.
    ///   - filterGradient: The `O×(C/groups)×KH×KW` result, overwritten.
    public func conv2dBackwardFilter(_ descriptor: Convolution2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, filterGradient: any DeviceBuffer) throws {
        let description = "conv2dBackwardFilter \(descriptor)"
        let input = checked(input, holds: descriptor.inputShape.elementCount, "input", in: description)
        let outputGradient = checked(outputGradient, holds: descriptor.outputShape.elementCount, "outputGradient", in: description)
        let filterGradient = checked(filterGradient, holds: descriptor.filterShape.elementCount, "filterGradient", in: description)
        var result = [Double](repeating: 0, count: descriptor.filterShape.elementCount)
        Self.forEachTap(of: descriptor) { inputIndex, filterIndex, outputIndex in
            result[filterIndex] += outputGradient[outputIndex] * input[inputIndex]
        }
        write(result, to: filterGradient)
    }

    /// Calls `body(inputIndex, filterIndex, outputIndex)` for every product term of the
    /// forward convolution whose input element is in bounds (padding contributes nothing).
    private static func forEachTap(of d: Convolution2D, _ body: (_ input: Int, _ filter: Int, _ output: Int) -> Void) {
        let channelsPerGroup = d.inputChannels / d.groups
        let outputsPerGroup = d.outputChannels / d.groups
        for image in 0..<d.batch {
            for outputChannel in 0..<d.outputChannels {
                let group = outputChannel / outputsPerGroup
                for outputRow in 0..<d.outputHeight {
                    for outputColumn in 0..<d.outputWidth {
                        let outputIndex = ((image * d.outputChannels + outputChannel) * d.outputHeight + outputRow) * d.outputWidth + outputColumn
                        for channel in 0..<channelsPerGroup {
                            let inputChannel = group * channelsPerGroup + channel
                            for kernelRow in 0..<d.kernelHeight {
                                let inputRow = outputRow * d.strideHeight - d.paddingHeight + kernelRow * d.dilationHeight
                                guard inputRow >= 0 && inputRow < d.inputHeight else { continue }
                                for kernelColumn in 0..<d.kernelWidth {
                                    let inputColumn = outputColumn * d.strideWidth - d.paddingWidth + kernelColumn * d.dilationWidth
                                    guard inputColumn >= 0 && inputColumn < d.inputWidth else { continue }
                                    let inputIndex = ((image * d.inputChannels + inputChannel) * d.inputHeight + inputRow) * d.inputWidth + inputColumn
                                    let filterIndex = ((outputChannel * channelsPerGroup + channel) * d.kernelHeight + kernelRow) * d.kernelWidth + kernelColumn
                                    body(inputIndex, filterIndex, outputIndex)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
