/// A (batched) row-major GEMM: `C = α·op(A)·op(B) + β·C` for each batch entry.
///
/// `op(A)` is `m×k` and `op(B)` is `k×n`; stored matrices are contiguous, so `A` is stored
/// `m×k` (or `k×m` when `transposeA`), `B` is stored `k×n` (or `n×k` when `transposeB`).
/// Batch entry `i` reads `A` at `i·batchStrideA`, `B` at `i·batchStrideB` and writes `C` at
/// `i·batchStrideC`; a batch stride of 0 reuses one matrix for every entry.
/// With `beta == 0`, `C` is not read (it may hold NaN).
public struct MatrixMultiplication: Hashable, Sendable, CustomStringConvertible {
    public var m: Int
    public var n: Int
    public var k: Int
    public var transposeA: Bool
    public var transposeB: Bool
    public var alpha: Float
    public var beta: Float
    public var batchCount: Int
    public var batchStrideA: Int
    public var batchStrideB: Int
    public var batchStrideC: Int

    /// Describes a single or batched GEMM; batch strides default to packed, distinct matrices.
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

    public var description: String {
        "GEMM(m: \(m), n: \(n), k: \(k)\(transposeA ? ", Aᵀ" : "")\(transposeB ? ", Bᵀ" : ""), α: \(alpha), β: \(beta), batch: \(batchCount))"
    }
}
