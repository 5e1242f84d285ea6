/// Row-major single-precision GEMM: `C = α·op(A)·op(B) + β·C` with `op(A)` `m×k`, `op(B)` `k×n`.
///
/// `A` is stored `m×k` with row stride `lda` (`k×m` when `transposeA`), `B` is stored `k×n`
/// with row stride `ldb` (`n×k` when `transposeB`), `C` is `m×n` with row stride `ldc`.
/// With `beta == 0`, `C` is not read. Rows of `C` are computed on all threads.
///
/// A simple, correct stand-in for the tuned, cache-blocked kernel that replaces this file.
package func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                   alpha: Float, a: UnsafePointer<Float>, lda: Int,
                   b: UnsafePointer<Float>, ldb: Int,
                   beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0 else { return }
    let (a, b, c) = (SharedPointer(a), SharedPointer(b), SharedPointer(c))
    Parallel.forEachChunk(of: m, grain: Swift.max(1, 32_768 / Swift.max(1, n * Swift.max(k, 1)))) { rows in
        for i in rows {
            let row = c.base + i * ldc
            if beta == 0 {
                row.update(repeating: 0, count: n)
            } else if beta != 1 {
                for j in 0..<n { row[j] *= beta }
            }
            for p in 0..<k {
                let scaled = alpha * (transposeA ? a.base[p * lda + i] : a.base[i * lda + p])
                if transposeB {
                    for j in 0..<n { row[j] += scaled * b.base[j * ldb + p] }
                } else {
                    let bRow = b.base + p * ldb
                    for j in 0..<n { row[j] += scaled * bRow[j] }
                }
            }
        }
    }
}
