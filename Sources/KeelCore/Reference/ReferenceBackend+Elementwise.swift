import Foundation

// Element-wise operations, reductions and softmax, in Double.
//
// NaN handling (the formulas leave it open): `maximum`, `minimum`, `relu`, `clamp`, `sign`
// and the `max` reduction propagate NaN; `argmax` and max pooling treat NaN as the largest
// value, so they agree with `max`; `step`, `greater` and `equal` give 0 for NaN.

extension ReferenceBackend {
    /// `output[i] = op(input[i])` by the formula in ``UnaryOperation``, in Double; `output` may be `input`.
    ///
    /// NaN propagates through `relu`, `clamp` and `sign`; `step` gives 0 for NaN.
    /// - Parameters:
    ///   - operation: The function.
    ///   - input: A reference buffer holding at least `count` elements.
    ///   - output: A reference buffer holding at least `count` elements.
    ///   - count: The number of elements.
    public func unary(_ operation: UnaryOperation, input: any DeviceBuffer, output: any DeviceBuffer, count: Int) throws {
        let description = "unary \(operation) (count: \(count))"
        let input = checked(input, holds: count, "input", in: description)
        let output = checked(output, holds: count, "output", in: description)
        let results = (0..<count).map { Self.apply(operation, input[$0]) }
        write(results, to: output)
    }

    /// `output = op(lhs, rhs)` over `shape`, reading each operand through its strides; `output` is contiguous and may be an operand's buffer.
    ///
    /// `maximum` and `minimum` propagate NaN; `greater` and `equal` give 0 for NaN.
    /// - Parameters:
    ///   - operation: The function (formulas in ``BinaryOperation``).
    ///   - lhs: The first operand, with one stride per axis of `shape`.
    ///   - rhs: The second operand, with one stride per axis of `shape`.
    ///   - output: A reference buffer holding at least `shape.elementCount` elements.
    ///   - shape: The shape of the result.
    public func binary(_ operation: BinaryOperation, _ lhs: StridedView, _ rhs: StridedView, output: any DeviceBuffer, shape: Shape) throws {
        let description = "binary \(operation) (shape: \(shape), lhs offset \(lhs.offset) strides \(lhs.strides), rhs offset \(rhs.offset) strides \(rhs.strides))"
        let output = checked(output, holds: shape.elementCount, "output", in: description)
        let lhsBuffer = lhs.buffer.as(ReferenceBuffer.self)
        let rhsBuffer = rhs.buffer.as(ReferenceBuffer.self)
        let lhsIndices = elementIndices(lhs, shape: shape, in: description + ", lhs")
        let rhsIndices = elementIndices(rhs, shape: shape, in: description + ", rhs")
        let results = (0..<shape.elementCount).map { position in
            Self.apply(operation, lhsBuffer[lhsIndices[position]], rhsBuffer[rhsIndices[position]])
        }
        write(results, to: output)
    }

    /// Reduces the middle extent of `outer × length × inner` into `outer × inner`, in Double.
    ///
    /// `max` propagates NaN and `argmax` takes a NaN as the largest value, so they agree; an
    /// empty extent gives 0 (sum), −∞ (max) or 0 (argmax).
    /// - Parameters:
    ///   - operation: Sum, maximum or argmax.
    ///   - input: A reference buffer holding at least `extents.inputCount` elements.
    ///   - output: A reference buffer holding at least `extents.outputCount` elements.
    ///   - extents: The view of `input`.
    public func reduce(_ operation: ReductionOperation, input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents) throws {
        let description = "reduce \(operation) \(extents)"
        let input = checked(input, holds: extents.inputCount, "input", in: description)
        let output = checked(output, holds: extents.outputCount, "output", in: description)
        for outer in 0..<extents.outer {
            for inner in 0..<extents.inner {
                let values = (0..<extents.length).map { input[(outer * extents.length + $0) * extents.inner + inner] }
                let result: Double
                switch operation {
                case .sum:
                    result = values.reduce(0, +)
                case .max:
                    result = values.reduce(-.infinity, Self.maximum)
                case .argmax:
                    result = Double(Self.indexOfFirstMaximum(values) ?? 0)
                }
                output[outer * extents.inner + inner] = result
            }
        }
    }

    /// Softmax (or log-softmax) over the middle extent, with the row maximum subtracted first, in Double.
    /// - Parameters:
    ///   - input: A reference buffer holding at least `extents.inputCount` elements.
    ///   - output: A reference buffer holding at least `extents.inputCount` elements.
    ///   - extents: The view of `input`; the softmax runs along `length`.
    ///   - logarithmic: Whether to produce log-softmax.
    public func softmax(input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents, logarithmic: Bool) throws {
        let description = "softmax (logarithmic: \(logarithmic)) \(extents)"
        let input = checked(input, holds: extents.inputCount, "input", in: description)
        let output = checked(output, holds: extents.inputCount, "output", in: description)
        for outer in 0..<extents.outer {
            for inner in 0..<extents.inner {
                let indices = (0..<extents.length).map { (outer * extents.length + $0) * extents.inner + inner }
                let values = indices.map { input[$0] }
                let largest = values.reduce(-.infinity, Self.maximum)
                let shifted = values.map { $0 - largest }
                let sum = shifted.map { exp($0) }.reduce(0, +)
                for (index, value) in zip(indices, shifted) {
                    output[index] = logarithmic ? value - log(sum) : exp(value) / sum
                }
            }
        }
    }

    // MARK: - Scalar formulas

    /// The documented formula of `operation` at `x`.
    static func apply(_ operation: UnaryOperation, _ x: Double) -> Double {
        switch operation {
        case .identity: x
        case .negate: -x
        case .abs: Swift.abs(x)
        case .sign: x.isNaN ? x : (x > 0 ? 1 : (x < 0 ? -1 : 0))
        case .step: x > 0 ? 1 : 0
        case .exp: exp(x)
        case .log: log(x)
        case .sqrt: x.squareRoot()
        case .reciprocal: 1 / x
        case .square: x * x
        case .sigmoid: x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
        case .tanh: tanh(x)
        case .relu: maximum(x, 0)
        case let .leakyReLU(slope): x > 0 ? x : Double(slope) * x
        case let .elu(alpha): x > 0 ? x : Double(alpha) * expm1(x)
        case .selu:
            Double(UnaryOperation.seluScale) * (x > 0 ? x : Double(UnaryOperation.seluAlpha) * expm1(x))
        case .softplus: maximum(x, 0) + log1p(exp(-Swift.abs(x)))
        case let .clamp(lower, upper): minimum(maximum(x, Double(lower)), Double(upper))
        case let .affine(scale, shift): Double(scale) * x + Double(shift)
        }
    }

    /// The documented formula of `operation` at `(a, b)`.
    static func apply(_ operation: BinaryOperation, _ a: Double, _ b: Double) -> Double {
        switch operation {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .maximum: maximum(a, b)
        case .minimum: minimum(a, b)
        case .greater: a > b ? 1 : 0
        case .equal: a == b ? 1 : 0
        }
    }

    /// `max(a, b)`, NaN when either is NaN.
    static func maximum(_ a: Double, _ b: Double) -> Double {
        a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
    }

    /// `min(a, b)`, NaN when either is NaN.
    static func minimum(_ a: Double, _ b: Double) -> Double {
        a.isNaN || b.isNaN ? .nan : Swift.min(a, b)
    }

    /// The position of the first largest value (a NaN counts as largest), or `nil` when empty.
    static func indexOfFirstMaximum(_ values: [Double]) -> Int? {
        var best: Int?
        for (index, value) in values.enumerated() {
            if let current = best {
                let largest = values[current]
                if value > largest || (value.isNaN && !largest.isNaN) { best = index }
            } else {
                best = index
            }
        }
        return best
    }
}
