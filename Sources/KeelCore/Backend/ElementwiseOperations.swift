/// Element-wise functions of one argument, applied by ``Backend/unary(_:input:output:count:)``.
///
/// The exact formula of each case is the contract every backend implements. Infinities follow
/// IEEE arithmetic through the formula, and NaN gives NaN in every case but ``step``.
public enum UnaryOperation: Hashable, Sendable {
    /// `x`
    case identity
    /// `−x`
    case negate
    /// `|x|`
    case abs
    /// `−1`, `0` or `1` by the sign of `x` (0 for ±0, NaN for NaN).
    case sign
    /// Heaviside step: `1` if `x > 0`, else `0` (a comparison, so 0 for NaN).
    case step
    /// `eˣ`
    case exp
    /// `ln x`
    case log
    /// `√x`
    case sqrt
    /// `1 / x`
    case reciprocal
    /// `x²`
    case square
    /// `1 / (1 + e⁻ˣ)`, computed without overflow for large `|x|`.
    case sigmoid
    /// `tanh x`
    case tanh
    /// `max(x, 0)`; NaN stays NaN.
    case relu
    /// `x` if `x > 0`, else `slope·x`.
    case leakyReLU(slope: Float)
    /// `x` if `x > 0`, else `alpha·(eˣ − 1)`.
    case elu(alpha: Float)
    /// `λ·x` if `x > 0`, else `λ·α·(eˣ − 1)` with λ = ``seluScale`` and α = ``seluAlpha``.
    case selu
    /// `ln(1 + eˣ)`, computed without overflow.
    case softplus
    /// `min(max(x, lower), upper)`; NaN stays NaN.
    case clamp(lower: Float, upper: Float)
    /// `scale·x + shift`
    case affine(scale: Float, shift: Float)

    /// The SELU scale λ (Klambauer et al., 2017).
    public static let seluScale: Float = 1.0507009873554805
    /// The SELU α (Klambauer et al., 2017).
    public static let seluAlpha: Float = 1.6732632423543772
}

/// Element-wise functions of two arguments, applied with broadcasting by
/// ``Backend/binary(_:_:_:output:shape:)``.
///
/// The arithmetic cases follow IEEE (`∞ − ∞` and `0·∞` are NaN); ``maximum`` and ``minimum``
/// are NaN when either operand is; ``greater`` and ``equal`` are comparisons, 0 for NaN.
public enum BinaryOperation: Hashable, Sendable {
    /// `a + b`
    case add
    /// `a − b`
    case subtract
    /// `a · b`
    case multiply
    /// `a / b`
    case divide
    /// `max(a, b)`, NaN when `a` or `b` is NaN (not IEEE `maxNum`, which returns the other operand).
    case maximum
    /// `min(a, b)`, NaN when `a` or `b` is NaN.
    case minimum
    /// `1` if `a > b`, else `0`.
    case greater
    /// `1` if `a == b`, else `0`.
    case equal
}

/// Reductions over the middle extent of an `outer × length × inner` view,
/// applied by ``Backend/reduce(_:input:output:extents:)``.
public enum ReductionOperation: Hashable, Sendable {
    /// The sum of the reduced elements (0 over an empty extent).
    case sum
    /// The largest reduced element (−∞ over an empty extent); NaN when one of them is NaN.
    case max
    /// The index of the first largest element, as a Float32 value. A NaN counts as the largest, so
    /// this is the index of the first NaN when there is one (as PyTorch's and NumPy's `argmax`).
    case argmax
}
