import KeelCore

extension CPUBackend {
    /// Max or average pooling, one `H×W` plane per task.
    ///
    /// A max window starts from −∞ and takes strictly larger in-bounds elements or the first NaN,
    /// so padding never wins, the first of equal maxima does and a NaN in the window gives NaN;
    /// an average divides by the in-bounds count.
    /// 2×2 max pooling with stride 2 and no padding has its own loop.
    /// - Parameters:
    ///   - descriptor: The kind and geometry.
    ///   - input: A CPU buffer holding the `N×C×H×W` input.
    ///   - output: A CPU buffer for the `N×C×OH×OW` result, overwritten.
    public func pool2d(_ descriptor: Pooling2D, input: any DeviceBuffer, output: any DeviceBuffer) throws {
        let input = input.as(CPUBuffer.self)
        let output = output.as(CPUBuffer.self)
        require(input, holds: descriptor.inputShape.elementCount, "pool2d", "\(descriptor)", role: "an input")
        require(output, holds: descriptor.outputShape.elementCount, "pool2d", "\(descriptor)", role: "an output")
        let d = descriptor
        let (inputPlane, outputPlane) = (d.inputHeight * d.inputWidth, d.outputHeight * d.outputWidth)
        let planes = d.batch * d.channels
        Parallel.forEachChunk(of: planes, grain: Swift.max(1, (1 << 14) / Swift.max(1, outputPlane * d.windowHeight * d.windowWidth))) { range in
            for plane in range {
                let source = input.pointer + plane * inputPlane
                let destination = output.pointer + plane * outputPlane
                if Self.isMaxPoolTwoByTwo(d) {
                    Self.forEachTwoByTwoMaximum(source, d) { output, _, value in destination[output] = value }
                    continue
                }
                for oh in 0..<d.outputHeight {
                    for ow in 0..<d.outputWidth {
                        let window = Self.window(d, oh, ow)
                        switch d.kind {
                        case .max:
                            destination[oh * d.outputWidth + ow] = Self.windowMaximum(source, d, window).value
                        case .average:
                            var total: Float = 0
                            for h in window.rows { for w in window.columns { total += source[h * d.inputWidth + w] } }
                            let count = window.rows.count * window.columns.count
                            destination[oh * d.outputWidth + ow] = count == 0 ? 0 : total / Float(count)
                        }
                    }
                }
            }
        }
    }

    /// Routes each output gradient to the first maximum of its window (max) or spreads it evenly
    /// over the window's in-bounds elements (average), one input plane per task.
    /// - Parameters:
    ///   - descriptor: The kind and geometry of the forward pass.
    ///   - input: A CPU buffer holding the forward pass's `N×C×H×W` input (locates the maxima).
    ///   - outputGradient: A CPU buffer holding the `N×C×OH×OW` gradient of the output.
    ///   - inputGradient: A CPU buffer for the `N×C×H×W` result, overwritten.
    public func pool2dBackward(_ descriptor: Pooling2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer,
                               inputGradient: any DeviceBuffer) throws {
        let input = input.as(CPUBuffer.self)
        let outputGradient = outputGradient.as(CPUBuffer.self)
        let inputGradient = inputGradient.as(CPUBuffer.self)
        require(input, holds: descriptor.inputShape.elementCount, "pool2dBackward", "\(descriptor)", role: "an input")
        require(outputGradient, holds: descriptor.outputShape.elementCount, "pool2dBackward", "\(descriptor)", role: "an output gradient")
        require(inputGradient, holds: descriptor.inputShape.elementCount, "pool2dBackward", "\(descriptor)", role: "an input gradient")
        let d = descriptor
        let (inputPlane, outputPlane) = (d.inputHeight * d.inputWidth, d.outputHeight * d.outputWidth)
        let planes = d.batch * d.channels
        Parallel.forEachChunk(of: planes, grain: Swift.max(1, (1 << 14) / Swift.max(1, outputPlane * d.windowHeight * d.windowWidth))) { range in
            for plane in range {
                let source = input.pointer + plane * inputPlane
                let gradient = outputGradient.pointer + plane * outputPlane
                let destination = inputGradient.pointer + plane * inputPlane
                destination.update(repeating: 0, count: inputPlane)
                if Self.isMaxPoolTwoByTwo(d) {
                    Self.forEachTwoByTwoMaximum(source, d) { output, index, _ in destination[index] = gradient[output] }
                    continue
                }
                for oh in 0..<d.outputHeight {
                    for ow in 0..<d.outputWidth {
                        let window = Self.window(d, oh, ow)
                        let value = gradient[oh * d.outputWidth + ow]
                        switch d.kind {
                        case .max:
                            if let index = Self.windowMaximum(source, d, window).index { destination[index] += value }
                        case .average:
                            let count = window.rows.count * window.columns.count
                            guard count > 0 else { continue }
                            let share = value / Float(count)
                            for h in window.rows { for w in window.columns { destination[h * d.inputWidth + w] += share } }
                        }
                    }
                }
            }
        }
    }

    /// Max pooling over 2×2 windows with stride 2 and no padding, the common case, which
    /// ``forEachTwoByTwoMaximum(_:_:_:)`` runs without the general window bookkeeping.
    private static func isMaxPoolTwoByTwo(_ d: Pooling2D) -> Bool {
        d.kind == .max && d.windowHeight == 2 && d.windowWidth == 2 && d.strideHeight == 2 && d.strideWidth == 2
            && d.paddingHeight == 0 && d.paddingWidth == 0
    }

    /// Calls `body(outputIndex, inputIndex, value)` with each 2×2 window's maximum and the plane
    /// index of its first occurrence, with the general path's rule: strictly larger or the first
    /// NaN wins, in row-major order, starting from −∞ at the window's first element.
    @inline(__always)
    private static func forEachTwoByTwoMaximum(_ source: UnsafeMutablePointer<Float>, _ d: Pooling2D,
                                               _ body: (_ output: Int, _ index: Int, _ value: Float) -> Void) {
        for oh in 0..<d.outputHeight {
            let top = 2 * oh * d.inputWidth
            for ow in 0..<d.outputWidth {
                let corner = top + 2 * ow
                var (best, index) = (-Float.infinity, corner)
                @inline(__always) func consider(_ candidate: Int) {
                    if RowKernels.replacesMaximum(source[candidate], best) { (best, index) = (source[candidate], candidate) }
                }
                consider(corner)
                consider(corner + 1)
                consider(corner + d.inputWidth)
                consider(corner + d.inputWidth + 1)
                body(oh * d.outputWidth + ow, index, best)
            }
        }
    }

    /// The in-bounds rows and columns of the window of output `(oh, ow)`.
    @inline(__always)
    private static func window(_ d: Pooling2D, _ oh: Int, _ ow: Int) -> (rows: Range<Int>, columns: Range<Int>) {
        let (top, left) = (oh * d.strideHeight - d.paddingHeight, ow * d.strideWidth - d.paddingWidth)
        let rows = Swift.max(top, 0)..<Swift.max(Swift.max(top, 0), Swift.min(top + d.windowHeight, d.inputHeight))
        let columns = Swift.max(left, 0)..<Swift.max(Swift.max(left, 0), Swift.min(left + d.windowWidth, d.inputWidth))
        return (rows, columns)
    }

    /// The window's maximum (−∞ when no element beats it, NaN when it holds one) and the plane
    /// index of its first occurrence (of the first NaN), or of the first in-bounds element when
    /// none beats −∞ (`nil` for an empty window).
    @inline(__always)
    private static func windowMaximum(_ source: UnsafeMutablePointer<Float>, _ d: Pooling2D,
                                      _ window: (rows: Range<Int>, columns: Range<Int>)) -> (value: Float, index: Int?) {
        guard !window.rows.isEmpty, !window.columns.isEmpty else { return (-.infinity, nil) }
        var best = -Float.infinity
        var bestIndex = window.rows.lowerBound * d.inputWidth + window.columns.lowerBound
        for h in window.rows {
            for w in window.columns where RowKernels.replacesMaximum(source[h * d.inputWidth + w], best) {
                best = source[h * d.inputWidth + w]
                bestIndex = h * d.inputWidth + w
            }
        }
        return (best, bestIndex)
    }
}
