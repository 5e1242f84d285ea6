// The last column sliver of a GEMM when it is at most 4 columns wide (n = 100 leaves 4 after six
// full slivers), computed as dot products instead of with the 6 x 8 micro-kernel.
//
// The micro-kernels broadcast one element of A per row and k step, so a sliver costs about the
// same however few of its columns are real: 4 columns cost nearly as much as 16. Here the tail's
// columns are copied out of the packed B sliver into 4 contiguous k-runs, and each of 2 x 4
// outputs accumulates 8 k steps per fused multiply-add from A's rows read in place: 8 multiply-
// adds per 6 loads and no broadcasts, then one horizontal sum per output.

/// Tails up to this many columns take the dot-product path.
let sgemmDotWidth = 4

/// Copies the first `sgemmDotWidth` columns of a packed `kc × 16` B sliver (zero past its last
/// real column) into `sgemmDotWidth` runs of `kc` contiguous elements.
func sgemmTransposeTail(_ sliver: UnsafePointer<Float>, kc: Int, into columns: UnsafeMutablePointer<Float>) {
    for q in 0..<kc {
        for column in 0..<sgemmDotWidth { columns[column * kc + q] = sliver[q * sgemmNR + column] }
    }
}

/// Updates `C[0..<6, 0..<nr]` (`nr ≤ 4`) with `alpha·A·B + beta·C` for 6 rows of A read in place
/// (`lda` apart, `kc` contiguous elements each) and the tail's columns from `sgemmTransposeTail`
/// (C is not read when `beta == 0`).
func sgemmDotTile6x4(kc: Int, a: UnsafePointer<Float>, lda: Int, columns: UnsafePointer<Float>, nr: Int,
                     c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
    @inline(__always) func update(_ row: Int, _ sums: SIMD4<Float>) {
        let target = c + row * ldc
        for column in 0..<nr {
            target[column] = beta == 0 ? alpha * sums[column] : alpha * sums[column] + beta * target[column]
        }
    }
    for firstRow in stride(from: 0, to: sgemmMR, by: 2) {
        let sums = sgemmDot2x4(kc: kc, a: a + firstRow * lda, lda: lda, columns: columns)
        update(firstRow, sums.0)
        update(firstRow + 1, sums.1)
    }
}

/// The 2 × 4 dot products of 2 rows of A (`lda` apart) with the tail's 4 columns (`kc` apart),
/// 8 k steps per vector; a last partial vector is zero-filled on both sides. (Three rows need
/// 16 vector registers and the compiler spills them.)
@inline(__always)
private func sgemmDot2x4(kc: Int, a: UnsafePointer<Float>, lda: Int, columns: UnsafePointer<Float>) -> (SIMD4<Float>, SIMD4<Float>) {
    var (s00, s01, s02, s03) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var (s10, s11, s12, s13) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    @inline(__always) func step(_ a0: SIMD8<Float>, _ a1: SIMD8<Float>, _ load: (Int) -> SIMD8<Float>) {
        var b = load(0)
        sgemmMulAdd(&s00, a0, b); sgemmMulAdd(&s10, a1, b)
        b = load(1)
        sgemmMulAdd(&s01, a0, b); sgemmMulAdd(&s11, a1, b)
        b = load(2)
        sgemmMulAdd(&s02, a0, b); sgemmMulAdd(&s12, a1, b)
        b = load(3)
        sgemmMulAdd(&s03, a0, b); sgemmMulAdd(&s13, a1, b)
    }
    var q = 0
    while q + 8 <= kc {
        step(sgemmLoad(a + q), sgemmLoad(a + lda + q)) { sgemmLoad(columns + $0 * kc + q) }
        q += 8
    }
    if q < kc {
        let count = kc - q
        step(sgemmLoadPartial(a + q, count), sgemmLoadPartial(a + lda + q, count)) { sgemmLoadPartial(columns + $0 * kc + q, count) }
    }
    return (SIMD4(s00.sum(), s01.sum(), s02.sum(), s03.sum()), SIMD4(s10.sum(), s11.sum(), s12.sum(), s13.sum()))
}

/// The first `count` (< 8) elements at `p`, zero in the other lanes.
@inline(__always)
private func sgemmLoadPartial(_ p: UnsafePointer<Float>, _ count: Int) -> SIMD8<Float> {
    var vector = SIMD8<Float>()
    withUnsafeMutableBytes(of: &vector) { lanes in
        lanes.baseAddress!.copyMemory(from: p, byteCount: count * MemoryLayout<Float>.stride)
    }
    return vector
}
