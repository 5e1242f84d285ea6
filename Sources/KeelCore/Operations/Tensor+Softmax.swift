extension Tensor {
    /// `exp(xᵢ) / Σⱼ exp(xⱼ)` along `axis`, computed stably (the maximum is subtracted first).
    /// - Parameter axis: The axis to normalise, negative counting from the end; the last by default.
    /// - Throws: The backend's allocation or device failure.
    public func softmax(axis: Int = -1) throws -> Tensor {
        let axis = shape.normalizedAxis(axis)
        let result = try softmaxed(axis: axis, logarithmic: false)
        return result.recorded(from: [self]) { g, _ in
            let y = result.detached()
            return [try y * (g - (g * y).sum(axes: [axis], keepingDimensions: true))]
        }
    }

    /// `xᵢ − log Σⱼ exp(xⱼ)` along `axis`, computed stably; prefer it to `softmax().log()`,
    /// which underflows to `−∞` for very negative logits.
    /// - Parameter axis: The axis to normalise, negative counting from the end; the last by default.
    /// - Throws: The backend's allocation or device failure.
    public func logSoftmax(axis: Int = -1) throws -> Tensor {
        let axis = shape.normalizedAxis(axis)
        let result = try softmaxed(axis: axis, logarithmic: true)
        return result.recorded(from: [self]) { g, _ in
            [try g - result.detached().exp() * g.sum(axes: [axis], keepingDimensions: true)]
        }
    }

    private func softmaxed(axis: Int, logarithmic: Bool) throws -> Tensor {
        let result = try Tensor.uninitialized(shape, on: backend)
        try backend.softmax(input: buffer, output: result.buffer, extents: shape.reductionExtents(over: axis..<axis + 1), logarithmic: logarithmic)
        return result
    }
}
