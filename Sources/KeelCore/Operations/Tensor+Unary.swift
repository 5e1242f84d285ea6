extension Tensor {
    /// Applies an element-wise function; see ``UnaryOperation`` for each formula.
    ///
    /// Differentiable; at non-differentiable points the gradient follows PyTorch
    /// (`relu'(0) = 0`, `abs'(0) = 0`, and `sign` and `step` pass no gradient).
    /// - Parameter operation: The function.
    /// - Returns: A tensor of the same shape.
    /// - Throws: The backend's allocation or device failure.
    public func applying(_ operation: UnaryOperation) throws -> Tensor {
        let result = try Tensor.uninitialized(shape, on: backend)
        try backend.unary(operation, input: buffer, output: result.buffer, count: elementCount)
        return result.recorded(from: [self]) { gradient, _ in
            [try Tensor.unaryPullback(operation, input: self, output: result.detached(), gradient: gradient)]
        }
    }

    /// `∂op(x)/∂x · g`, written with tensor operations.
    private static func unaryPullback(_ operation: UnaryOperation, input x: Tensor, output y: Tensor, gradient g: Tensor) throws -> Tensor {
        switch operation {
        case .identity: return g
        case .negate: return try g.applying(.negate)
        case .abs: return try g * x.applying(.sign)
        case .sign, .step: return try Tensor.zeros(x.shape, on: x.backend)
        case .exp: return try g * y
        case .log: return try g / x
        case .sqrt: return try g / y.applying(.affine(scale: 2, shift: 0))
        case .reciprocal: return try (g * y.applying(.square)).applying(.negate)
        case .square: return try g * x.applying(.affine(scale: 2, shift: 0))
        case .sigmoid: return try g * y * y.applying(.affine(scale: -1, shift: 1))
        case .tanh: return try g * y.applying(.square).applying(.affine(scale: -1, shift: 1))
        case .relu: return try g * x.applying(.step)
        case let .leakyReLU(slope):
            return try g * x.applying(.step).applying(.affine(scale: 1 - slope, shift: slope))
        case let .elu(alpha):
            return try g * piecewise(x, positive: 1, negative: y.applying(.affine(scale: 1, shift: alpha)))
        case .selu:
            let (λ, α) = (UnaryOperation.seluScale, UnaryOperation.seluAlpha)
            return try g * piecewise(x, positive: λ, negative: y.applying(.affine(scale: 1, shift: λ * α)))
        case .softplus: return try g * x.applying(.sigmoid)
        case let .clamp(lower, upper):
            let inside = try x.applying(.affine(scale: 1, shift: -lower)).applying(.step)
                * x.applying(.affine(scale: -1, shift: upper)).applying(.step)
            return try g * inside
        case let .affine(scale, _): return try g.applying(.affine(scale: scale, shift: 0))
        }
    }

    /// `positive` where `x > 0`, else `negative`.
    private static func piecewise(_ x: Tensor, positive: Float, negative: Tensor) throws -> Tensor {
        let mask = try x.applying(.step)
        return try mask.applying(.affine(scale: positive, shift: 0)) + mask.applying(.affine(scale: -1, shift: 1)) * negative
    }

    // MARK: - Named element-wise functions

    /// `eˣ`
    public func exp() throws -> Tensor { try applying(.exp) }
    /// `ln x`
    public func log() throws -> Tensor { try applying(.log) }
    /// `√x`
    public func sqrt() throws -> Tensor { try applying(.sqrt) }
    /// `x²`
    public func square() throws -> Tensor { try applying(.square) }
    /// `|x|`
    public func abs() throws -> Tensor { try applying(.abs) }
    /// `1 / x`
    public func reciprocal() throws -> Tensor { try applying(.reciprocal) }
    /// The logistic sigmoid `1 / (1 + e⁻ˣ)`, without overflow for large `|x|`.
    public func sigmoid() throws -> Tensor { try applying(.sigmoid) }
    /// The hyperbolic tangent.
    public func tanh() throws -> Tensor { try applying(.tanh) }
    /// `max(x, 0)`
    public func relu() throws -> Tensor { try applying(.relu) }
    /// `x` for positive `x`, else `slope·x`.
    /// - Parameter slope: The slope for negative inputs.
    public func leakyReLU(slope: Float = 0.01) throws -> Tensor { try applying(.leakyReLU(slope: slope)) }
    /// `x` for positive `x`, else `alpha·(eˣ − 1)`.
    /// - Parameter alpha: Negative inputs saturate at `−alpha`.
    public func elu(alpha: Float = 1) throws -> Tensor { try applying(.elu(alpha: alpha)) }
    /// The self-normalising SELU: `λ·x` for positive `x`, else `λ·α·(eˣ − 1)`, with the
    /// constants ``UnaryOperation/seluScale`` and ``UnaryOperation/seluAlpha``.
    public func selu() throws -> Tensor { try applying(.selu) }
    /// `ln(1 + eˣ)`, without overflow for large `x`.
    public func softplus() throws -> Tensor { try applying(.softplus) }
    /// Every element limited to `range`; the gradient passes only where `x` is inside it.
    /// - Parameter range: The bounds; either may be infinite.
    public func clamped(to range: ClosedRange<Float>) throws -> Tensor {
        try applying(.clamp(lower: range.lowerBound, upper: range.upperBound))
    }

    // MARK: - Arithmetic with scalars

    /// Every element negated.
    /// - Parameter x: The operand.
    public static prefix func - (x: Tensor) throws -> Tensor { try x.applying(.negate) }
    /// `s` added to every element.
    /// - Parameters:
    ///   - x: The tensor.
    ///   - s: The scalar.
    public static func + (x: Tensor, s: Float) throws -> Tensor { try x.applying(.affine(scale: 1, shift: s)) }
    /// `s` added to every element.
    /// - Parameters:
    ///   - s: The scalar.
    ///   - x: The tensor.
    public static func + (s: Float, x: Tensor) throws -> Tensor { try x.applying(.affine(scale: 1, shift: s)) }
    /// `s` subtracted from every element.
    /// - Parameters:
    ///   - x: The tensor.
    ///   - s: The scalar.
    public static func - (x: Tensor, s: Float) throws -> Tensor { try x.applying(.affine(scale: 1, shift: -s)) }
    /// `s − x` for every element.
    /// - Parameters:
    ///   - s: The scalar.
    ///   - x: The tensor.
    public static func - (s: Float, x: Tensor) throws -> Tensor { try x.applying(.affine(scale: -1, shift: s)) }
    /// Every element scaled by `s`.
    /// - Parameters:
    ///   - x: The tensor.
    ///   - s: The scalar.
    public static func * (x: Tensor, s: Float) throws -> Tensor { try x.applying(.affine(scale: s, shift: 0)) }
    /// Every element scaled by `s`.
    /// - Parameters:
    ///   - s: The scalar.
    ///   - x: The tensor.
    public static func * (s: Float, x: Tensor) throws -> Tensor { try x.applying(.affine(scale: s, shift: 0)) }
    /// Every element divided by `s` (computed as a multiplication by `1/s`).
    /// - Parameters:
    ///   - x: The tensor.
    ///   - s: The scalar.
    public static func / (x: Tensor, s: Float) throws -> Tensor { try x.applying(.affine(scale: 1 / s, shift: 0)) }
    /// `s / x` for every element.
    /// - Parameters:
    ///   - s: The scalar.
    ///   - x: The tensor.
    public static func / (s: Float, x: Tensor) throws -> Tensor { try x.applying(.reciprocal).applying(.affine(scale: s, shift: 0)) }
}
