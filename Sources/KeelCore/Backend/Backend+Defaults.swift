import Foundation

// Default implementations: composites of the required operations. A new backend inherits
// them and may override each with a fused kernel; the tests compare the two.

extension Backend {
    /// The default fill: uploads `count` copies of `value` from a host array.
    /// - Parameters:
    ///   - buffer: The buffer to fill, holding at least `count` elements.
    ///   - value: The value every element gets.
    ///   - count: How many leading elements to set.
    public func fill(_ buffer: any DeviceBuffer, value: Float, count: Int) throws {
        let values = [Float](repeating: value, count: count)
        try values.withUnsafeBufferPointer { try upload($0, to: buffer) }
    }

    /// The default softmax, composed of required operations: the line maxima (``reduce(_:input:output:extents:)``),
    /// `x − max` and `exp` (``binary(_:_:_:output:shape:)``, ``unary(_:input:output:count:)``),
    /// the sums of the exponentials, then a division (or `x − max − ln Σ` for log-softmax).
    ///
    /// It allocates two temporaries of `extents.inputCount` elements and two of `extents.outputCount`.
    /// - Parameters:
    ///   - input: `extents.inputCount` contiguous elements.
    ///   - output: The results, shaped like `input`.
    ///   - extents: The view of `input`; the softmax runs along `length`.
    ///   - logarithmic: Whether to produce log-softmax.
    public func softmax(input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents, logarithmic: Bool) throws {
        guard extents.inputCount > 0 else { return }
        let shape: Shape = [extents.outer, extents.length, extents.inner]
        let whole = StridedView(input, strides: shape.strides)
        let maxima = try makeBuffer(count: extents.outputCount)
        try reduce(.max, input: input, output: maxima, extents: extents)
        let perRow = StridedView(maxima, strides: [extents.inner, 0, 1])
        let shifted = try makeBuffer(count: extents.inputCount)
        try binary(.subtract, whole, perRow, output: shifted, shape: shape)
        let exponentials = try makeBuffer(count: extents.inputCount)
        try unary(.exp, input: shifted, output: exponentials, count: extents.inputCount)
        let sums = try makeBuffer(count: extents.outputCount)
        try reduce(.sum, input: exponentials, output: sums, extents: extents)
        let sumsPerRow = StridedView(sums, strides: [extents.inner, 0, 1])
        if logarithmic {
            try unary(.log, input: sums, output: sums, count: extents.outputCount)
            try binary(.subtract, StridedView(shifted, strides: shape.strides), sumsPerRow, output: output, shape: shape)
        } else {
            try binary(.divide, StridedView(exponentials, strides: shape.strides), sumsPerRow, output: output, shape: shape)
        }
    }

    /// The default cosine-distance product, composed of required operations: the row norms
    /// (square, row sums, square root, floored at ``CosineDistanceProduct/normFloor``, reciprocal),
    /// one ``gemm(_:a:b:c:)`` `X·Aᵀ`, both scalings, then `log(max(1 − c, ε))` summed per class
    /// with ``reduce(_:input:output:extents:)``.
    /// - Parameters:
    ///   - descriptor: The sizes and the clamp (formulas in ``CosineDistanceProduct``).
    ///   - input: The `m×n` inputs `X`.
    ///   - anchors: The `(K·P)×n` anchors `A`, class `k` owning rows `k·P ..< (k+1)·P`.
    ///   - logDistance: The `m×K` result `S`, overwritten.
    ///   - cosines: The `m×(K·P)` cosines `c`, overwritten.
    public func cosineDistanceProduct(_ descriptor: CosineDistanceProduct, input: any DeviceBuffer, anchors: any DeviceBuffer,
                                      logDistance: any DeviceBuffer, cosines: any DeviceBuffer) throws {
        let (m, n, anchorCount) = (descriptor.rows, descriptor.features, descriptor.anchorCount)
        guard m > 0 else { return }
        let inverseInputNorms = try inverseRowNorms(input, rows: m, columns: n)
        let inverseAnchorNorms = try inverseRowNorms(anchors, rows: anchorCount, columns: n)
        try gemm(MatrixMultiplication(m: m, n: anchorCount, k: n, transposeB: true), a: input, b: anchors, c: cosines)
        let shape: Shape = [m, anchorCount]
        try binary(.multiply, StridedView(cosines, strides: [anchorCount, 1]), StridedView(inverseInputNorms, strides: [1, 0]),
                   output: cosines, shape: shape)
        try binary(.multiply, StridedView(cosines, strides: [anchorCount, 1]), StridedView(inverseAnchorNorms, strides: [0, 1]),
                   output: cosines, shape: shape)
        let logTerms = try makeBuffer(count: m * anchorCount)
        try unary(.affine(scale: -1, shift: 1), input: cosines, output: logTerms, count: m * anchorCount)
        try unary(.clamp(lower: descriptor.epsilon, upper: .infinity), input: logTerms, output: logTerms, count: m * anchorCount)
        try unary(.log, input: logTerms, output: logTerms, count: m * anchorCount)
        try reduce(.sum, input: logTerms, output: logDistance,
                   extents: ReductionExtents(outer: m * descriptor.classes, length: descriptor.anchorsPerClass, inner: 1))
    }

    /// `1 / max(|row|, tiny)` for each row of a `rows × columns` matrix (zero rows give a finite value).
    func inverseRowNorms(_ matrix: any DeviceBuffer, rows: Int, columns: Int) throws -> any DeviceBuffer {
        let squares = try makeBuffer(count: rows * columns)
        try unary(.square, input: matrix, output: squares, count: rows * columns)
        let norms = try makeBuffer(count: rows)
        try reduce(.sum, input: squares, output: norms, extents: ReductionExtents(outer: rows, length: columns, inner: 1))
        try unary(.sqrt, input: norms, output: norms, count: rows)
        try unary(.clamp(lower: CosineDistanceProduct.normFloor, upper: .infinity), input: norms, output: norms, count: rows)
        try unary(.reciprocal, input: norms, output: norms, count: rows)
        return norms
    }

    /// The default optimiser step, composed of element-wise ``unary(_:input:output:count:)``
    /// and ``binary(_:_:_:output:shape:)`` calls on temporaries, one per term of the formula in
    /// ``OptimizerUpdate``; results are written back with ``copy(_:to:shape:)``. Adam's bias
    /// corrections `1 − βᵗ` are computed on the host in Double.
    /// - Parameters:
    ///   - update: The rule, learning rate, weight decay and step.
    ///   - parameter: The parameter `θ`, read and written.
    ///   - gradient: The gradient `∇`.
    ///   - state: Exactly ``OptimizerUpdate/Rule/stateCount`` buffers in the rule's order, read and
    ///     written; a different number stops with a precondition failure.
    ///   - count: The number of elements of each buffer.
    public func optimizerUpdate(_ update: OptimizerUpdate, parameter: any DeviceBuffer, gradient: any DeviceBuffer,
                                state: [any DeviceBuffer], count: Int) throws {
        precondition(state.count == update.rule.stateCount, "\(update.rule) needs \(update.rule.stateCount) state buffers, got \(state.count)")
        guard count > 0 else { return }
        let ops = ElementwiseScratch(backend: self, count: count)
        let γ = update.learningRate
        var g = gradient
        if update.weightDecay != 0 {
            g = try ops.combine(.add, gradient, ops.scaled(parameter, by: update.weightDecay))
        }
        let change: any DeviceBuffer
        switch update.rule {
        case .sgd:
            change = try ops.scaled(g, by: γ)
        case let .momentum(μ):
            try ops.assign(state[0], ops.combine(.add, ops.scaled(state[0], by: μ), ops.scaled(g, by: γ)))
            change = state[0]
        case let .nesterov(μ):
            let step = try ops.scaled(g, by: γ)
            try ops.assign(state[0], ops.combine(.add, ops.scaled(state[0], by: μ), step))
            change = try ops.combine(.add, ops.scaled(state[0], by: μ), step)
        case let .adaGrad(ε):
            try ops.assign(state[0], ops.combine(.add, state[0], ops.map(.square, g)))
            change = try ops.combine(.divide, ops.scaled(g, by: γ), ops.map(.affine(scale: 1, shift: ε), ops.map(.sqrt, state[0])))
        case let .rmsProp(ρ, ε):
            try ops.assign(state[0], ops.movingAverage(state[0], ops.map(.square, g), decay: ρ))
            change = try ops.combine(.divide, ops.scaled(g, by: γ), ops.map(.affine(scale: 1, shift: ε), ops.map(.sqrt, state[0])))
        case let .adaDelta(ρ, ε):
            try ops.assign(state[0], ops.movingAverage(state[0], ops.map(.square, g), decay: ρ))
            let ratio = try ops.combine(.divide, ops.map(.sqrt, ops.map(.affine(scale: 1, shift: ε), state[1])),
                                        ops.map(.sqrt, ops.map(.affine(scale: 1, shift: ε), state[0])))
            let delta = try ops.combine(.multiply, ratio, g)
            try ops.assign(state[1], ops.movingAverage(state[1], ops.map(.square, delta), decay: ρ))
            change = try ops.scaled(delta, by: γ)
        case let .adam(β1, β2, ε):
            try ops.assign(state[0], ops.movingAverage(state[0], g, decay: β1))
            try ops.assign(state[1], ops.movingAverage(state[1], ops.map(.square, g), decay: β2))
            let t = Double(update.step)
            let correction1 = Float(1 - pow(Double(β1), t))
            let correction2 = Float(1 - pow(Double(β2), t))
            let denominator = try ops.map(.affine(scale: 1, shift: ε), ops.map(.sqrt, ops.scaled(state[1], by: 1 / correction2)))
            change = try ops.combine(.divide, ops.scaled(state[0], by: γ / correction1), denominator)
        }
        try ops.assign(parameter, ops.combine(.subtract, parameter, change))
    }

    /// The default random fill: ``Philox4x32/sample(_:at:)`` for each element on the host, then
    /// one ``upload(_:to:)``, so it matches every device kernel bit for bit.
    /// - Parameters:
    ///   - distribution: What to draw.
    ///   - seed: The generator's key.
    ///   - offset: The counter of element 0.
    ///   - output: The destination, holding at least `count` elements.
    ///   - count: The number of values.
    public func randomFill(_ distribution: RandomDistribution, seed: UInt64, offset: UInt64, output: any DeviceBuffer, count: Int) throws {
        let generator = Philox4x32(seed: seed)
        let values = (0..<count).map { generator.sample(distribution, at: offset &+ UInt64($0)) }
        try values.withUnsafeBufferPointer { try upload($0, to: output) }
    }
}

/// Contiguous element-wise helpers over buffers of one size, for composite defaults.
private struct ElementwiseScratch<B: Backend> {
    let backend: B
    let count: Int

    func map(_ operation: UnaryOperation, _ input: any DeviceBuffer) throws -> any DeviceBuffer {
        let output = try backend.makeBuffer(count: count)
        try backend.unary(operation, input: input, output: output, count: count)
        return output
    }

    func scaled(_ input: any DeviceBuffer, by factor: Float) throws -> any DeviceBuffer {
        try map(.affine(scale: factor, shift: 0), input)
    }

    func combine(_ operation: BinaryOperation, _ lhs: any DeviceBuffer, _ rhs: any DeviceBuffer) throws -> any DeviceBuffer {
        let output = try backend.makeBuffer(count: count)
        try backend.binary(operation, StridedView(lhs, strides: [1]), StridedView(rhs, strides: [1]), output: output, shape: [count])
        return output
    }

    /// `decay·average + (1 − decay)·sample`
    func movingAverage(_ average: any DeviceBuffer, _ sample: any DeviceBuffer, decay: Float) throws -> any DeviceBuffer {
        try combine(.add, scaled(average, by: decay), scaled(sample, by: 1 - decay))
    }

    func assign(_ destination: any DeviceBuffer, _ value: any DeviceBuffer) throws {
        try backend.copy(StridedView(value, strides: [1]), to: destination, shape: [count])
    }
}
