/// A (batched) row-major GEMM: `C = α·op(A)·op(B) + β·C` for each batch entry.
///
/// `op(A)` is `m×k` and `op(B)` is `k×n`; stored matrices are contiguous, so `A` is stored
/// `m×k` (or `k×m` when `transposeA`), `B` is stored `k×n` (or `n×k` when `transposeB`).
/// Batch entry `i` reads `A` at `i·batchStrideA`, `B` at `i·batchStrideB` and writes `C` at
/// `i·batchStrideC`; a batch stride of 0 reuses one matrix for every entry.
/// With `beta == 0`, `C` is not read (it may hold NaN). `alpha == 0` is not special: the product
/// is still formed, so a NaN or infinity in `A` or `B` reaches `C` (`0·NaN` is NaN).
///
/// ```swift
/// // C (4×5) = Aᵀ·B for A stored 3×4 and B stored 3×5.
/// let descriptor = MatrixMultiplication(m: 4, n: 5, k: 3, transposeA: true)
/// try backend.gemm(descriptor, a: a, b: b, c: c)
/// ```
public struct MatrixMultiplication: Hashable, Sendable, CustomStringConvertible {
    /// Rows of `op(A)` and of `C`.
    public var m: Int
    /// Columns of `op(B)` and of `C`.
    public var n: Int
    /// The inner dimension: columns of `op(A)`, rows of `op(B)`.
    public var k: Int
    /// Whether `A` is stored `k×m` and used transposed.
    public var transposeA: Bool
    /// Whether `B` is stored `n×k` and used transposed.
    public var transposeB: Bool
    /// The scale `α` of the product.
    public var alpha: Float
    /// The scale `β` of the existing `C`; 0 overwrites `C` without reading it.
    public var beta: Float
    /// The number of independent products; 0 does nothing.
    public var batchCount: Int
    /// Elements between consecutive batch entries of `A` (0 shares one `A`).
    public var batchStrideA: Int
    /// Elements between consecutive batch entries of `B` (0 shares one `B`).
    public var batchStrideB: Int
    /// Elements between consecutive batch entries of `C`.
    public var batchStrideC: Int

    /// Describes a single or batched GEMM; batch strides default to packed, distinct matrices.
    /// - Parameters:
    ///   - m: Rows of `op(A)` and `C`, `≥ 0`.
    ///   - n: Columns of `op(B)` and `C`, `≥ 0`.
    ///   - k: The inner dimension, `≥ 0` (0 makes `C = β·C`).
    ///   - transposeA: Whether `A` is stored `k×m`.
    ///   - transposeB: Whether `B` is stored `n×k`.
    ///   - alpha: The scale of the product.
    ///   - beta: The scale of the existing `C`.
    ///   - batchCount: The number of products, `≥ 0`.
    ///   - batchStrideA: Elements between batch entries of `A`; `nil` means `m·k`.
    ///   - batchStrideB: Elements between batch entries of `B`; `nil` means `k·n`.
    ///   - batchStrideC: Elements between batch entries of `C`; `nil` means `m·n`.
    public init(m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false,
                alpha: Float = 1, beta: Float = 0, batchCount: Int = 1,
                batchStrideA: Int? = nil, batchStrideB: Int? = nil, batchStrideC: Int? = nil) {
        precondition(m >= 0 && n >= 0 && k >= 0 && batchCount >= 0, "GEMM sizes must be non-negative: m=\(m) n=\(n) k=\(k) batch=\(batchCount)")
        self.m = m
        self.n = n
        self.k = k
        self.transposeA = transposeA
        self.transposeB = transposeB
        self.alpha = alpha
        self.beta = beta
        self.batchCount = batchCount
        self.batchStrideA = batchStrideA ?? m * k
        self.batchStrideB = batchStrideB ?? k * n
        self.batchStrideC = batchStrideC ?? m * n
    }

    /// The row stride of stored `A`.
    public var lda: Int { transposeA ? m : k }
    /// The row stride of stored `B`.
    public var ldb: Int { transposeB ? k : n }
    /// The row stride of `C`.
    public var ldc: Int { n }

    /// Elements of `A`, `B`, `C` the operation touches (for buffer-size checks).
    public var requiredCounts: (a: Int, b: Int, c: Int) {
        func extent(_ stride: Int, _ size: Int) -> Int {
            batchCount == 0 || size == 0 ? 0 : (batchCount - 1) * stride + size
        }
        return (extent(batchStrideA, m * k), extent(batchStrideB, k * n), extent(batchStrideC, m * n))
    }

    /// Floating-point operations (`2·m·n·k` per batch entry).
    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) * Double(batchCount) }

    /// A one-line summary, for example `GEMM(m: 4, n: 5, k: 3, Aᵀ, α: 1.0, β: 0.0, batch: 1)`.
    public var description: String {
        "GEMM(m: \(m), n: \(n), k: \(k)\(transposeA ? ", Aᵀ" : "")\(transposeB ? ", Bᵀ" : ""), α: \(alpha), β: \(beta), batch: \(batchCount))"
    }
}
