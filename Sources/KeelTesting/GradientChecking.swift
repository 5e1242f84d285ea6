import KeelCore

// Gradient checks for Keel's reverse-mode autodiff.
//
// Two checks, both reporting the worst element rather than a pass/fail bit:
//
// - `checkGradientsNumerically`: the analytic gradient from `gradients(of:)` against central
//   finite differences, all in Double on the reference backend (inputs are written with
//   `uploadDoubles`, results read with `downloadDoubles`, so nothing is rounded to Float).
// - `compareGradients`: the same function, seed and (Float-rounded) inputs on another backend
//   and on the reference, comparing the analytic gradients.
//
// Each function's output is reduced to a scalar as `Σ w ⊙ f(x)` with fixed, seeded weights
// `|w| ∈ [0.5, 1.5]` of random sign, never a plain sum, so the gradient of every output
// element flows through its own path with its own scale (a pullback that mixes up output
// elements, or drops one, changes the result).
//
// Non-differentiable points are avoided by construction in `GradientInput` (see its
// factories): `uniform(…, avoiding:margin:)` keeps every value at least `margin` away from
// the kinks of relu/abs/step/clamp, `distinct(…)` makes values pairwise at least
// `width/(2n)` apart so max/min/pooling have no ties. Both margins are many orders of
// magnitude larger than the finite-difference step, so `x ± h` stays on one smooth piece.

// MARK: - Seeded values

/// One input of a gradient check: a shape and its values in Double.
///
/// The finite-difference check uses the values in Double; the cross-backend comparison rounds
/// them to Float once. Build inputs with the factories, which keep values away from
/// non-differentiable points.
///
/// ```swift
/// let x = GradientInput.uniform([3, 4], in: -2...2, seed: 1, avoiding: [0])   // for relu, abs
/// let divisor = GradientInput.nonzero([4], seed: 2)
/// let pooled = GradientInput.distinct([2, 1, 4, 4], seed: 3)                    // no ties for max
/// ```
public struct GradientInput: Sendable, CustomStringConvertible {
    /// The tensor's shape.
    public var shape: Shape
    /// The elements, row-major.
    public var values: [Double]

    /// An input with exactly these values.
    ///
    /// - Parameters:
    ///   - values: the elements, row-major; `shape.elementCount` of them (a precondition).
    ///   - shape: the tensor's shape.
    public init(_ values: [Double], shape: Shape) {
        precondition(values.count == shape.elementCount, "\(values.count) values cannot fill \(shape)")
        self.shape = shape
        self.values = values
    }

    /// Values uniform in `range`, each at least `margin` away from every point in `avoiding`.
    ///
    /// A value that falls within `margin` of a point is redrawn from the same stream, so the
    /// result is deterministic. Use it for the kinks of relu/leakyReLU/elu/selu/abs/step (0),
    /// clamp (its bounds), and the poles of log/reciprocal.
    ///
    /// - Parameters:
    ///   - shape: the tensor's shape.
    ///   - range: the interval values are drawn from.
    ///   - seed: the generator seed.
    ///   - points: the values to keep away from (kinks, clamp bounds, poles).
    ///   - margin: the smallest distance to every point; a precondition fails when `range` leaves
    ///     no room.
    public static func uniform(_ shape: Shape, in range: ClosedRange<Double> = -1...1, seed: UInt64,
                               avoiding points: [Double] = [], margin: Double = 0.05) -> GradientInput {
        var generator = SeededGenerator(seed: seed)
        let values = (0..<shape.elementCount).map { _ in
            for _ in 0..<10_000 {
                let value = generator.uniform(range)
                if points.allSatisfy({ Swift.abs(value - $0) >= margin }) { return value }
            }
            preconditionFailure("\(range) has no room for values \(margin) away from \(points)")
        }
        return GradientInput(values, shape: shape)
    }

    /// Values whose magnitude is uniform in `range` (default 0.5…1.5), with a random sign (for divisors).
    ///
    /// - Parameters:
    ///   - shape: the tensor's shape.
    ///   - range: the interval magnitudes are drawn from; keep its lower bound away from 0.
    ///   - seed: the generator seed.
    public static func nonzero(_ shape: Shape, magnitude range: ClosedRange<Double> = 0.5...1.5, seed: UInt64) -> GradientInput {
        var generator = SeededGenerator(seed: seed)
        let values = (0..<shape.elementCount).map { _ in
            let magnitude = generator.uniform(range)
            return generator.next() & 1 == 0 ? magnitude : -magnitude
        }
        return GradientInput(values, shape: shape)
    }

    /// Tensors whose values, taken together, are pairwise distinct: no ties for max, min or pooling.
    ///
    /// The `n` values of all shapes are a shuffled evenly spaced grid over `range` (spacing
    /// `s = width/n`), each jittered by at most `s/4`, so any two differ by at least `s/2`.
    ///
    /// - Parameters:
    ///   - shapes: the shapes of the tensors, for example both operands of `maximum`.
    ///   - range: the interval the grid spans.
    ///   - seed: the generator seed.
    /// - Returns: one input per shape, in order.
    public static func distinct(_ shapes: [Shape], in range: ClosedRange<Double> = -1...1, seed: UInt64) -> [GradientInput] {
        var generator = SeededGenerator(seed: seed)
        let count = shapes.reduce(0) { $0 + $1.elementCount }
        let spacing = (range.upperBound - range.lowerBound) / Double(Swift.max(count, 1))
        var values = (0..<count).map { index in
            range.lowerBound + (Double(index) + 0.5 + generator.uniform(-0.25...0.25)) * spacing
        }
        values.shuffle(using: &generator)
        var start = 0
        return shapes.map { shape in
            defer { start += shape.elementCount }
            return GradientInput(Array(values[start..<start + shape.elementCount]), shape: shape)
        }
    }

    /// One tensor of pairwise distinct values (see ``distinct(_:in:seed:)-swift.type.method``).
    ///
    /// - Parameters:
    ///   - shape: the tensor's shape.
    ///   - range: the interval the grid spans.
    ///   - seed: the generator seed.
    public static func distinct(_ shape: Shape, in range: ClosedRange<Double> = -1...1, seed: UInt64) -> GradientInput {
        distinct([shape], in: range, seed: seed)[0]
    }

    /// The shape only; the values would be too long for a test's output.
    public var description: String { "\(shape)" }
}

/// Fixed weights for `Σ w ⊙ f(x)`: magnitudes in `[0.5, 1.5]`, random signs.
func gradientCheckWeights(count: Int, seed: UInt64) -> [Double] {
    GradientInput.nonzero([count], magnitude: 0.5...1.5, seed: seed ^ 0x5745_4947_4854_5321).values
}

// MARK: - Finite differences in Double

/// The outcome of ``checkGradientsNumerically(inputs:differentiating:seed:relativeStep:absoluteFloor:_:)``.
public struct GradientCheckReport: Sendable, CustomStringConvertible {
    /// The worst `|analytic − numeric| / max(|analytic|, |numeric|, absoluteFloor)` over all checked elements.
    public var worstError: Double = 0
    /// The index of the input that gave ``worstError``.
    public var worstInput = 0
    /// The element of that input, row-major.
    public var worstElement = 0
    /// The gradient from `gradients(of:)` at the worst element.
    public var worstAnalytic = 0.0
    /// The central-difference derivative at the worst element.
    public var worstNumeric = 0.0
    /// The largest `|numeric gradient|`: zero means the check could not have failed on values.
    public var largestNumeric = 0.0
    /// Elements compared.
    public var checkedElements = 0
    /// Inputs whose analytic gradient did not have the input's shape (indices).
    public var misshapenGradients: [Int] = []

    /// One line: the worst error with its place and values, the largest gradient, the elements
    /// checked, and any misshapen gradients.
    public var description: String {
        var text = "worst relative error \(worstError) at input \(worstInput) element \(worstElement) "
            + "(analytic \(worstAnalytic), numeric \(worstNumeric)); largest |gradient| \(largestNumeric); \(checkedElements) elements"
        if !misshapenGradients.isEmpty { text += "; misshapen gradients for inputs \(misshapenGradients)" }
        return text
    }
}

/// Compares `gradients(of:)` with central finite differences, in Double on the reference backend.
///
/// The checked scalar is `L(x) = Σ w ⊙ function(x)` with seeded weights (see the file
/// comment). Element `j` of input `i` is perturbed by `h = relativeStep · max(1, |xⱼ|)`; the
/// numeric derivative is `(L(x + h) − L(x − h)) / 2h`, whose truncation error is about
/// `h²·|L‴|/6` and rounding error about `1e-16·Σ|terms of L| / h`. The default `h = 1e-5`
/// balances the two: with O(1) inputs both stay near 1e-10..1e-8 even for a convolution whose
/// `L` sums hundreds of terms (with `h = 1e-6` rounding alone reached ~1e-8 absolute there,
/// i.e. ~1e-5 of a gradient element near the `absoluteFloor`). Inputs keep at least 0.05 from
/// every kink, so `x ± h` never crosses one.
///
/// The cost is two evaluations of `function` per checked element, so keep inputs small (tens of
/// elements).
///
/// ```swift
/// let report = try checkGradientsNumerically(inputs: [.uniform([3, 4], seed: 1)], seed: 2) { x in
///     try x[0].tanh() * x[0]
/// }
/// #expect(report.worstError <= 1e-6, "\(report)")
/// ```
///
/// - Parameters:
///   - inputs: the tensors passed to `function`, in order.
///   - differentiating: indices of the inputs to check (default: all); the others are constants.
///   - seed: seeds the output weights.
///   - relativeStep: the finite-difference step relative to `max(1, |xⱼ|)`.
///   - absoluteFloor: the smallest denominator of the relative error, so gradients that are
///     (nearly) zero are compared absolutely.
///   - function: builds the output from the inputs with Tensor operations; any shape, the same
///     for every call.
/// - Returns: the worst relative error and where it occurred; check ``GradientCheckReport/largestNumeric``
///   too, since a gradient that is zero everywhere passes trivially.
/// - Throws: what `function` or the tensor operations throw.
public func checkGradientsNumerically(inputs: [GradientInput], differentiating: [Int]? = nil, seed: UInt64,
                                      relativeStep: Double = 1e-5, absoluteFloor: Double = 1e-3,
                                      _ function: ([Tensor]) throws -> Tensor) throws -> GradientCheckReport {
    let backend = ReferenceBackend.shared
    let checked = differentiating ?? Array(inputs.indices)

    func tensor(_ values: [Double], _ shape: Shape) throws -> Tensor {
        let tensor = try Tensor.zeros(shape, on: backend)
        backend.uploadDoubles(values, to: tensor.buffer)
        return tensor
    }

    // The analytic gradient.
    let leaves = try inputs.enumerated().map { index, input in
        let leaf = try tensor(input.values, input.shape)
        return checked.contains(index) ? leaf.requiringGradient() : leaf
    }
    let output = try function(leaves)
    let weights = try tensor(gradientCheckWeights(count: output.elementCount, seed: seed), output.shape)
    let loss = try (output * weights).sum()
    let analytic = try loss.gradients(of: checked.map { leaves[$0] })

    var report = GradientCheckReport()
    for (position, index) in checked.enumerated() where analytic[position].shape != inputs[index].shape {
        report.misshapenGradients.append(index)
    }

    // Central differences, evaluated without recording.
    func weightedLoss(_ values: [[Double]]) throws -> Double {
        try withoutGradients {
            let tensors = try zip(values, inputs).map { try tensor($0, $1.shape) }
            let output = try function(tensors)
            precondition(output.shape == weights.shape, "The function's output shape changed from \(weights.shape) to \(output.shape)")
            return backend.downloadDoubles(try (output * weights).sum().buffer)[0]
        }
    }
    var values = inputs.map(\.values)
    for (position, index) in checked.enumerated() where !report.misshapenGradients.contains(index) {
        let gradient = backend.downloadDoubles(analytic[position].buffer)
        for element in values[index].indices {
            let original = values[index][element]
            let step = relativeStep * Swift.max(1, Swift.abs(original))
            values[index][element] = original + step
            let plus = try weightedLoss(values)
            values[index][element] = original - step
            let minus = try weightedLoss(values)
            values[index][element] = original
            let numeric = (plus - minus) / (2 * step)
            let error = Swift.abs(gradient[element] - numeric)
                / Swift.max(Swift.abs(gradient[element]), Swift.abs(numeric), absoluteFloor)
            report.largestNumeric = Swift.max(report.largestNumeric, Swift.abs(numeric))
            report.checkedElements += 1
            // `!(error <= worst)` also catches NaN.
            if !(error <= report.worstError) || report.checkedElements == 1 {
                report.worstError = error.isNaN ? .infinity : error
                report.worstInput = index
                report.worstElement = element
                report.worstAnalytic = gradient[element]
                report.worstNumeric = numeric
            }
        }
    }
    return report
}

// MARK: - Across backends

/// The outcome of ``compareGradients(inputs:differentiating:seed:absoluteFloor:on:against:_:)``.
public struct GradientComparisonReport: Sendable, CustomStringConvertible {
    /// The worst `|gradient − reference| / max(max|reference gradient of that input|, absoluteFloor)`.
    public var worstError: Double = 0
    /// The index of the input that gave ``worstError``.
    public var worstInput = 0
    /// The element of that input, row-major.
    public var worstElement = 0
    /// The tested backend's gradient at the worst element.
    public var worstValue: Float = 0
    /// The reference's gradient at the worst element.
    public var worstReference: Float = 0
    /// `|L − L_ref| / Σ|w ⊙ f_ref|` for the weighted forward value, a cheap forward sanity check.
    public var valueError: Double = 0
    /// The largest `|reference gradient|`: zero means the comparison could not have failed on values.
    public var largestReference: Float = 0
    /// Inputs whose gradient shape differed from the reference's (indices).
    public var mismatchedShapes: [Int] = []
    /// The tested backend's `name`.
    public var backendName = ""

    /// One line: the backend, the worst gradient error with its place and values, the forward
    /// error, the largest reference gradient, and any shape mismatches.
    public var description: String {
        var text = "\(backendName) vs reference: worst gradient error \(worstError) at input \(worstInput) element \(worstElement) "
            + "(\(worstValue) vs \(worstReference)); forward error \(valueError); largest |gradient| \(largestReference)"
        if !mismatchedShapes.isEmpty { text += "; gradient shapes differ for inputs \(mismatchedShapes)" }
        return text
    }
}

/// Per-op tolerances for Float gradients compared with the reference.
public enum GradientTolerance {
    /// `8·ε_Float·max(1, length)`, where `length` is the longest chain of accumulations an
    /// output or gradient element goes through (GEMM `k`, the reduction or window size, the
    /// number of ops composed). Errors are measured relative to the largest gradient element.
    ///
    /// - Parameter length: the longest accumulation, for example ``GradientCase/reductionLength``.
    public static func float(reductionLength length: Int) -> Double {
        8 * Double(Float.ulpOfOne) * Double(Swift.max(1, length))
    }
}

/// Runs `function` with the same Float inputs and weights on `backend` and on `reference`, and
/// compares the analytic gradients (and the weighted forward value).
///
/// Inputs are rounded to Float once on the host and the identical bytes are uploaded to both
/// backends; the weights are the same seeded `Σ w ⊙ f(x)` weights as the numeric check uses.
/// Errors are relative to the largest reference gradient element of each input, or to
/// `absoluteFloor` when that is larger: use the magnitude of the terms a gradient is computed
/// from when the result itself is tiny by cancellation (`x/x`, or sigmoid's `y·(1 − y)` at
/// large `x`, where Float rounding of `y` alone gives an absolute error of about ε).
///
/// ```swift
/// let report = try compareGradients(inputs: [.uniform([4, 3], seed: 1), .uniform([3, 2], seed: 2)],
///                                   seed: 3, on: myBackend) { t in try t[0].matmul(t[1]) }
/// #expect(report.worstError <= GradientTolerance.float(reductionLength: 3), "\(report)")
/// ```
///
/// - Parameters:
///   - inputs: the tensors passed to `function`, in order; rounded to Float.
///   - differentiating: indices of the inputs whose gradients are compared (default: all).
///   - seed: seeds the output weights.
///   - absoluteFloor: the smallest denominator of the error (default 0: relative to the
///     largest reference gradient only).
///   - backend: the backend under test.
///   - reference: the backend whose gradients are the expected ones.
///   - function: builds the output from the inputs with Tensor operations; any shape.
/// - Returns: the worst error and where it occurred; compare it with ``GradientTolerance/float(reductionLength:)``
///   and check ``GradientComparisonReport/largestReference`` so the comparison could have failed.
/// - Throws: what `function`, the tensor operations or either backend throw.
public func compareGradients(inputs: [GradientInput], differentiating: [Int]? = nil, seed: UInt64,
                             absoluteFloor: Double = 0,
                             on backend: any Backend, against reference: any Backend = ReferenceBackend.shared,
                             _ function: ([Tensor]) throws -> Tensor) throws -> GradientComparisonReport {
    let checked = differentiating ?? Array(inputs.indices)

    func run(on backend: any Backend) throws -> (value: Float, magnitude: Float, gradients: [Tensor]) {
        let leaves = try inputs.enumerated().map { index, input in
            let leaf = try Tensor(input.values.map { Float($0) }, shape: input.shape, on: backend)
            return checked.contains(index) ? leaf.requiringGradient() : leaf
        }
        let output = try function(leaves)
        let weights = try Tensor(gradientCheckWeights(count: output.elementCount, seed: seed).map { Float($0) },
                                 shape: output.shape, on: backend)
        let weighted = try output * weights
        let loss = try weighted.sum()
        let magnitude = try withoutGradients { try weighted.abs().sum().scalar() }
        return (try loss.scalar(), magnitude, try loss.gradients(of: checked.map { leaves[$0] }))
    }

    let tested = try run(on: backend)
    let truth = try run(on: reference)
    var report = GradientComparisonReport(backendName: backend.name)
    report.valueError = Double(Swift.abs(tested.value - truth.value)) / Swift.max(Double(truth.magnitude), 1e-30)
    var first = true
    for (position, index) in checked.enumerated() {
        guard tested.gradients[position].shape == truth.gradients[position].shape else {
            report.mismatchedShapes.append(index)
            continue
        }
        let values = try tested.gradients[position].toArray()
        let expected = try truth.gradients[position].toArray()
        let scale = expected.reduce(Float(0)) { Swift.max($0, Swift.abs($1)) }
        report.largestReference = Swift.max(report.largestReference, scale)
        for element in values.indices {
            let error = Double(Swift.abs(values[element] - expected[element])) / Swift.max(Double(scale), absoluteFloor, 1e-30)
            if first || !(error <= report.worstError) {
                first = false
                report.worstError = error.isNaN ? .infinity : error
                report.worstInput = index
                report.worstElement = element
                report.worstValue = values[element]
                report.worstReference = expected[element]
            }
        }
    }
    return report
}
