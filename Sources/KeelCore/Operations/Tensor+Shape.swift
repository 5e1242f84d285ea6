extension Tensor {
    /// The same elements viewed with another shape of equal element count (no copy).
    /// One dimension may be `-1`, inferred from the others.
    ///
    /// Never throws: the result shares this tensor's buffer. A count that does not match stops
    /// with a precondition failure.
    /// - Parameter dimensions: The new dimensions, at most one of them `-1`.
    public func reshaped(_ dimensions: [Int]) -> Tensor {
        let known = dimensions.filter { $0 != -1 }.reduce(1, *)
        let inferred = dimensions.map { $0 == -1 ? (known == 0 ? 0 : elementCount / known) : $0 }
        precondition(dimensions.filter({ $0 == -1 }).count <= 1 && Shape(inferred).elementCount == elementCount,
                     "Cannot reshape \(shape) (\(elementCount) elements) to \(dimensions)")
        let result = Tensor(shape: Shape(inferred), storage: storage)
        return result.recorded(from: [self]) { gradient, _ in [gradient.reshaped(self.shape.dimensions)] }
    }

    /// A 2-D view `[dim 0, product of the rest]` (no copy); a scalar becomes `[1×1]`.
    public func flattened() -> Tensor {
        reshaped([shape.rank == 0 ? 1 : shape[0], -1])
    }

    /// The axes reordered: result axis `i` is axis `axes[i]` of `self` (copies).
    /// - Parameter axes: A permutation of `0..<rank`; anything else stops with a precondition failure.
    /// - Throws: The backend's allocation or device failure.
    public func permuted(_ axes: [Int]) throws -> Tensor {
        precondition(axes.sorted() == Array(0..<shape.rank), "\(axes) is not a permutation of the axes of \(shape)")
        let strides = shape.strides
        let result = try Tensor.uninitialized(Shape(axes.map { shape.dimensions[$0] }), on: backend)
        try backend.copy(StridedView(buffer, strides: axes.map { strides[$0] }), to: result.buffer, shape: result.shape)
        return result.recorded(from: [self]) { gradient, _ in
            var inverse = [Int](repeating: 0, count: axes.count)
            for (position, axis) in axes.enumerated() { inverse[axis] = position }
            return [try gradient.permuted(inverse)]
        }
    }

    /// The last two axes swapped (a matrix transpose, batched over leading axes; copies).
    /// - Throws: The backend's allocation or device failure.
    public func transposed() throws -> Tensor {
        precondition(shape.rank >= 2, "transposed() needs at least 2 dimensions, got \(shape)")
        var axes = Array(0..<shape.rank)
        axes.swapAt(shape.rank - 1, shape.rank - 2)
        return try permuted(axes)
    }

    /// The tensor repeated along broadcast axes to `target` (copies); `self` when already `target`.
    /// - Parameter target: A shape this tensor broadcasts to (see ``Shape/broadcast(with:)``).
    /// - Throws: The backend's allocation or device failure.
    public func expanded(to target: Shape) throws -> Tensor {
        if target == shape { return self }
        let result = try Tensor.uninitialized(target, on: backend)
        try backend.copy(StridedView(buffer, strides: shape.broadcastStrides(to: target)), to: result.buffer, shape: target)
        return result.recorded(from: [self]) { gradient, _ in [try gradient.summed(toShape: self.shape)] }
    }

    /// Sums a broadcast result back to `target`, the shape of the operand that was broadcast.
    package func summed(toShape target: Shape) throws -> Tensor {
        if target == shape { return self }
        let leading = shape.rank - target.rank
        let axes = (0..<shape.rank).filter { axis in
            axis < leading || (target.dimensions[axis - leading] == 1 && shape.dimensions[axis] != 1)
        }
        return try sum(axes: axes, keepingDimensions: true).reshaped(target.dimensions)
    }
}
