extension Tensor {
    /// The sum over `axes` (all axes when `nil`).
    ///
    /// ```swift
    /// let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    /// try x.sum().scalar()                                   // 21
    /// try x.sum(axes: [0]).toArray()                         // [5, 7, 9]
    /// try x.sum(axes: [1], keepingDimensions: true).shape    // [2×1]
    /// ```
    /// - Parameters:
    ///   - axes: The axes to reduce, negative ones counting from the end; repeats are ignored.
    ///   - keepingDimensions: Whether reduced axes stay as size 1 (for broadcasting back)
    ///     instead of being dropped.
    /// - Throws: The backend's allocation or device failure.
    public func sum(axes: [Int]? = nil, keepingDimensions: Bool = false) throws -> Tensor {
        let axes = normalizedAxes(axes)
        let result = try reduced(.sum, over: axes)
        let recorded = result.recorded(from: [self]) { gradient, _ in [try gradient.expanded(to: self.shape)] }
        return recorded.droppingReduced(axes, keepingDimensions: keepingDimensions)
    }

    /// The mean over `axes` (all axes when `nil`); the mean over no elements is 0.
    /// - Parameters:
    ///   - axes: The axes to reduce, negative ones counting from the end.
    ///   - keepingDimensions: Whether reduced axes stay as size 1 instead of being dropped.
    /// - Throws: The backend's allocation or device failure.
    public func mean(axes: [Int]? = nil, keepingDimensions: Bool = false) throws -> Tensor {
        let axes = normalizedAxes(axes)
        let count = axes.reduce(1) { $0 * shape.dimensions[$1] }
        return try sum(axes: axes, keepingDimensions: keepingDimensions) * (1 / Float(Swift.max(count, 1)))
    }

    /// The maximum over `axes` (all axes when `nil`); ties share the gradient equally.
    /// - Parameters:
    ///   - axes: The axes to reduce, negative ones counting from the end.
    ///   - keepingDimensions: Whether reduced axes stay as size 1 instead of being dropped.
    /// - Throws: The backend's allocation or device failure.
    public func max(axes: [Int]? = nil, keepingDimensions: Bool = false) throws -> Tensor {
        let axes = normalizedAxes(axes)
        let result = try reduced(.max, over: axes)
        let recorded = result.recorded(from: [self]) { gradient, _ in
            let isMaximum = try self.detached().combined(with: result.detached(), .equal)
            let share = try isMaximum / isMaximum.sum(axes: axes, keepingDimensions: true)
            return [try gradient * share]
        }
        return recorded.droppingReduced(axes, keepingDimensions: keepingDimensions)
    }

    /// The index of the first largest element along `axis`, as Float32 values (not differentiable).
    ///
    /// For a batch of logits `[N×K]`, `argmax()` gives the `[N]` predicted classes.
    /// - Parameters:
    ///   - axis: The axis to search, negative counting from the end; the last by default.
    ///   - keepingDimensions: Whether the axis stays as size 1 instead of being dropped.
    /// - Throws: The backend's allocation or device failure.
    public func argmax(axis: Int = -1, keepingDimensions: Bool = false) throws -> Tensor {
        let axis = shape.normalizedAxis(axis)
        return try reduced(.argmax, over: [axis]).droppingReduced([axis], keepingDimensions: keepingDimensions)
    }

    private func normalizedAxes(_ axes: [Int]?) -> [Int] {
        Array(Set((axes ?? Array(0..<shape.rank)).map(shape.normalizedAxis))).sorted()
    }

    /// Reduces each run of adjacent `axes` with one backend call, keeping reduced axes as size 1.
    private func reduced(_ operation: ReductionOperation, over axes: [Int]) throws -> Tensor {
        var runs: [Range<Int>] = []
        for axis in axes {
            if let last = runs.last, last.upperBound == axis { runs[runs.count - 1] = last.lowerBound..<axis + 1 } else { runs.append(axis..<axis + 1) }
        }
        var current = detached()
        for run in runs.reversed() {
            var dimensions = current.shape.dimensions
            for axis in run { dimensions[axis] = 1 }
            let next = try Tensor.uninitialized(Shape(dimensions), on: backend)
            try backend.reduce(operation, input: current.buffer, output: next.buffer, extents: current.shape.reductionExtents(over: run))
            current = next
        }
        return current
    }

    private func droppingReduced(_ axes: [Int], keepingDimensions: Bool) -> Tensor {
        keepingDimensions ? self : reshaped(shape.dimensions.enumerated().filter { !axes.contains($0.offset) }.map(\.element))
    }
}
