// 2-D max and average pooling, forward and backward.

extension ReferenceBackend {
    /// Max or average pooling; padding never wins a max and is not counted in an average.
    ///
    /// A NaN in a window counts as its largest element, as in the `max` reduction.
    /// - Parameters:
    ///   - descriptor: The kind and geometry.
    ///   - input: The `N×C×H×W` input.
    ///   - output: The `N×C×OH×OW` result, overwritten.
    public func pool2d(_ descriptor: Pooling2D, input: any DeviceBuffer, output: any DeviceBuffer) throws {
        let description = "pool2d \(descriptor)"
        let input = checked(input, holds: descriptor.inputShape.elementCount, "input", in: description)
        let output = checked(output, holds: descriptor.outputShape.elementCount, "output", in: description)
        Self.forEachWindow(of: descriptor) { outputIndex, inputIndices in
            let values = inputIndices.map { input[$0] }
            switch descriptor.kind {
            case .max:
                output[outputIndex] = Self.indexOfFirstMaximum(values).map { values[$0] } ?? -.infinity
            case .average:
                output[outputIndex] = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
            }
        }
    }

    /// Overwrites `inputGradient`: max pooling sends each window's gradient to its first largest
    /// input element; average pooling spreads it evenly over the window's in-bounds elements.
    /// Overlapping windows add up.
    /// - Parameters:
    ///   - descriptor: The kind and geometry of the forward pass.
    ///   - input: The forward pass's `N×C×H×W` input (locates the maxima).
    ///   - outputGradient: The `N×C×OH×OW` gradient of the forward output.
    ///   - inputGradient: The `N×C×H×W` result, overwritten.
    public func pool2dBackward(_ descriptor: Pooling2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, inputGradient: any DeviceBuffer) throws {
        let description = "pool2dBackward \(descriptor)"
        let input = checked(input, holds: descriptor.inputShape.elementCount, "input", in: description)
        let outputGradient = checked(outputGradient, holds: descriptor.outputShape.elementCount, "outputGradient", in: description)
        let inputGradient = checked(inputGradient, holds: descriptor.inputShape.elementCount, "inputGradient", in: description)
        var result = [Double](repeating: 0, count: descriptor.inputShape.elementCount)
        Self.forEachWindow(of: descriptor) { outputIndex, inputIndices in
            let gradient = outputGradient[outputIndex]
            switch descriptor.kind {
            case .max:
                if let winner = Self.indexOfFirstMaximum(inputIndices.map { input[$0] }) {
                    result[inputIndices[winner]] += gradient
                }
            case .average:
                for inputIndex in inputIndices {
                    result[inputIndex] += gradient / Double(inputIndices.count)
                }
            }
        }
        write(result, to: inputGradient)
    }

    /// Calls `body(outputIndex, inputIndices)` for every pooling window, with the indices of
    /// its in-bounds input elements in scan order (row-major within the window).
    private static func forEachWindow(of d: Pooling2D, _ body: (_ output: Int, _ inputs: [Int]) -> Void) {
        for image in 0..<d.batch {
            for channel in 0..<d.channels {
                let plane = (image * d.channels + channel) * d.inputHeight * d.inputWidth
                for outputRow in 0..<d.outputHeight {
                    for outputColumn in 0..<d.outputWidth {
                        var inputIndices: [Int] = []
                        for windowRow in 0..<d.windowHeight {
                            let inputRow = outputRow * d.strideHeight - d.paddingHeight + windowRow
                            guard inputRow >= 0 && inputRow < d.inputHeight else { continue }
                            for windowColumn in 0..<d.windowWidth {
                                let inputColumn = outputColumn * d.strideWidth - d.paddingWidth + windowColumn
                                guard inputColumn >= 0 && inputColumn < d.inputWidth else { continue }
                                inputIndices.append(plane + inputRow * d.inputWidth + inputColumn)
                            }
                        }
                        let outputIndex = ((image * d.channels + channel) * d.outputHeight + outputRow) * d.outputWidth + outputColumn
                        body(outputIndex, inputIndices)
                    }
                }
            }
        }
    }
}
