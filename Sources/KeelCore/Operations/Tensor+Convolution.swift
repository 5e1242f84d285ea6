extension Tensor {
    /// 2-D convolution (cross-correlation) of an `N×C×H×W` input with an `O×(C/groups)×KH×KW` filter.
    ///
    /// The result is `N×O×OH×OW` (formulas in ``Convolution2D``); no bias is added. Differentiable
    /// with respect to both the input and the filter.
    ///
    /// ```swift
    /// let images = try Tensor.random([8, 1, 28, 28], .uniform(low: 0, high: 1), seed: 0)
    /// let filters = try Tensor.random([6, 1, 5, 5], .normal(mean: 0, standardDeviation: 0.1), seed: 1)
    /// let features = try images.conv2d(filters, padding: (2, 2)).relu()   // 8×6×28×28
    /// ```
    /// - Parameters:
    ///   - filter: The `O×(C/groups)×KH×KW` filter, on the same backend.
    ///   - stride: (rows, columns) between output positions, each `≥ 1`.
    ///   - padding: (rows, columns) of implicit zeros on each side.
    ///   - dilation: (rows, columns) between filter taps, each `≥ 1`.
    ///   - groups: Channel groups; `C` and `O` must be multiples of it.
    /// - Throws: The backend's allocation or device failure.
    public func conv2d(_ filter: Tensor, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                       dilation: (Int, Int) = (1, 1), groups: Int = 1) throws -> Tensor {
        precondition(shape.rank == 4 && filter.shape.rank == 4 && filter.shape[1] * groups == shape[1],
                     "conv2d needs an N×C×H×W input and an O×(C/groups)×KH×KW filter, got \(shape) and \(filter.shape) with \(groups) groups")
        let descriptor = Convolution2D(batch: shape[0], inputChannels: shape[1], inputHeight: shape[2], inputWidth: shape[3],
                                       outputChannels: filter.shape[0], kernelHeight: filter.shape[2], kernelWidth: filter.shape[3],
                                       stride: stride, padding: padding, dilation: dilation, groups: groups)
        let result = try Tensor.uninitialized(descriptor.outputShape, on: backend)
        try backend.conv2d(descriptor, input: buffer, filter: filter.buffer, output: result.buffer)
        return result.recorded(from: [self, filter]) { g, needed in
            try needed.map { index in
                if index == 0 {
                    let inputGradient = try Tensor.uninitialized(self.shape, on: self.backend)
                    try self.backend.conv2dBackwardData(descriptor, outputGradient: g.buffer, filter: filter.buffer, inputGradient: inputGradient.buffer)
                    return inputGradient
                }
                let filterGradient = try Tensor.uninitialized(filter.shape, on: self.backend)
                try self.backend.conv2dBackwardFilter(descriptor, input: self.buffer, outputGradient: g.buffer, filterGradient: filterGradient.buffer)
                return filterGradient
            }
        }
    }

    /// Max pooling over `window` (stride defaults to the window) on an `N×C×H×W` tensor.
    ///
    /// Padding never wins; the gradient goes to the first largest element of each window.
    /// - Parameters:
    ///   - window: (rows, columns) of a window.
    ///   - stride: (rows, columns) between windows; `nil` means the window.
    ///   - padding: (rows, columns) on each side, each smaller than the window.
    /// - Returns: `N×C×OH×OW` (formulas in ``Pooling2D``).
    /// - Throws: The backend's allocation or device failure.
    public func maxPool2d(window: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) throws -> Tensor {
        try pooled(.max, window: window, stride: stride, padding: padding)
    }

    /// Average pooling over `window` (stride defaults to the window) on an `N×C×H×W` tensor;
    /// padding is not counted, so an edge window averages only its in-bounds elements.
    /// - Parameters:
    ///   - window: (rows, columns) of a window.
    ///   - stride: (rows, columns) between windows; `nil` means the window.
    ///   - padding: (rows, columns) on each side, each smaller than the window.
    /// - Returns: `N×C×OH×OW` (formulas in ``Pooling2D``).
    /// - Throws: The backend's allocation or device failure.
    public func averagePool2d(window: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) throws -> Tensor {
        try pooled(.average, window: window, stride: stride, padding: padding)
    }

    private func pooled(_ kind: Pooling2D.Kind, window: (Int, Int), stride: (Int, Int)?, padding: (Int, Int)) throws -> Tensor {
        precondition(shape.rank == 4, "Pooling needs an N×C×H×W tensor, got \(shape)")
        let descriptor = Pooling2D(kind: kind, batch: shape[0], channels: shape[1], inputHeight: shape[2], inputWidth: shape[3],
                                   window: window, stride: stride, padding: padding)
        let result = try Tensor.uninitialized(descriptor.outputShape, on: backend)
        try backend.pool2d(descriptor, input: buffer, output: result.buffer)
        return result.recorded(from: [self]) { g, _ in
            let inputGradient = try Tensor.uninitialized(self.shape, on: self.backend)
            try self.backend.pool2dBackward(descriptor, input: self.buffer, outputGradient: g.buffer, inputGradient: inputGradient.buffer)
            return [inputGradient]
        }
    }
}
