import Foundation

// Cache-blocked, multithreaded SGEMM in the BLIS/GotoBLAS style, pure Swift.
//
// C is split into one stripe of whole micro-tiles per thread (rows or columns, whichever
// leaves the busiest thread the least work); threads share nothing but the read-only inputs.
// Loop nest per stripe:
//   jc over columns, nc at a time      packed B panel (kc x nc, 512 KiB at most) stays in L2
//   pc over k, kc at a time            pack the B panel into 16-column slivers (absorbs op(B))
//   i  over rows, 6 at a time          the A sliver (6 x kc) stays in L1 across the column loop;
//                                      read in place when A is not transposed, else packed
//   jr over the panel, 16 at a time    6 x 16 register-tiled micro-kernel (a last sliver of at most
//                                      4 columns: dot products, GEMMNarrowTail.swift)
// A partial last A sliver is packed zero padded; partial C tiles go through a scratch tile.
//
// Build note (x86-64): the micro-kernel uses fused multiply-add (`addProduct`). It needs
// `-Xswiftc -target-cpu -Xswiftc haswell` (or `native`) to become vfmadd231ps; for baseline
// x86-64 Swift lowers it to one libm `fmaf` call per lane and sgemm runs at under 1 GFLOP/s.
// arm64 has FMA in its baseline and needs no flag.

/// Rows of the micro-tile (broadcast elements of A per k step).
let sgemmMR = 6
/// Columns of the micro-tile (two 8-lane vectors of B per k step).
let sgemmNR = 16
/// Lower and upper bounds on the depth of a k block (the A sliver, MR x kc, stays in L1).
let sgemmKC = 512
let sgemmKCMax = 1024
/// Budget, in floats, for the packed B panel (kc x nc), which stays in L2: 512 KiB, half of a 1 MiB L2
/// (the whole L2 of a core on the 2-core AMD EPYC the benchmarks ran on; a 256 KiB panel was not faster there).
let sgemmPanelFloats = 128 * 1024
/// Cost of packing one element of B, in multiply-adds (used to choose the thread split).
let sgemmPackCost = 8
/// Problems with fewer multiply-adds than this run on the calling thread.
let sgemmParallelThreshold = 1 << 16

/// Row-major single-precision GEMM: C = alpha * op(A) * op(B) + beta * C,
/// op(A) is m x k, op(B) is k x n, C is m x n. lda/ldb/ldc are row strides (elements) of the stored matrices.
/// beta == 0 means C is not read (may contain NaN/garbage). alpha == 0 still forms the product,
/// so a NaN or infinity in A or B makes its row or column of C NaN (0·NaN and 0·∞ are NaN).
package func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                   alpha: Float, a: UnsafePointer<Float>, lda: Int,
                   b: UnsafePointer<Float>, ldb: Int,
                   beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative dimension")
    precondition(ldc >= n, "sgemm: ldc < n")
    precondition(lda >= (transposeA ? m : k) && ldb >= (transposeB ? k : n), "sgemm: lda/ldb too small")
    if m == 0 || n == 0 { return }
    if k == 0 {
        sgemmScale(m: m, n: n, beta: beta, c: c, ldc: ldc)
        return
    }
    let problem = SGEMMProblem(transposeA: transposeA, transposeB: transposeB, k: k, alpha: alpha,
                               a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    let threads = m * n * k < sgemmParallelThreshold ? 1 : Parallel.threadCount
    if threads == 1 {
        sgemmBlock(problem, rows: 0..<m, cols: 0..<n)
        return
    }
    // Split C into independent stripes of whole micro-tiles, one per thread, so each thread
    // packs only what it uses and no synchronisation is needed. Pick the direction with the
    // least work for the busiest thread: its multiply-adds plus packing its B columns (a row
    // split makes every thread pack all of B).
    let mTiles = (m + sgemmMR - 1) / sgemmMR, nTiles = (n + sgemmNR - 1) / sgemmNR
    func cost(rows: Int, cols: Int) -> Int { (rows + sgemmPackCost) * cols * k }
    let rowParts = min(threads, mTiles), colParts = min(threads, nTiles)
    let rowCost = cost(rows: (mTiles + rowParts - 1) / rowParts * sgemmMR, cols: nTiles * sgemmNR)
    let colCost = cost(rows: mTiles * sgemmMR, cols: (nTiles + colParts - 1) / colParts * sgemmNR)
    if rowCost <= colCost {
        parallelFor(rowParts) { part in
            let lo = part * mTiles / rowParts * sgemmMR, hi = min(m, (part + 1) * mTiles / rowParts * sgemmMR)
            sgemmBlock(problem, rows: lo..<hi, cols: 0..<n)
        }
    } else {
        parallelFor(colParts) { part in
            let lo = part * nTiles / colParts * sgemmNR, hi = min(n, (part + 1) * nTiles / colParts * sgemmNR)
            sgemmBlock(problem, rows: 0..<m, cols: lo..<hi)
        }
    }
}

/// Operands of one sgemm call, shared read-only by the worker threads
/// (each writes a disjoint block of C).
struct SGEMMProblem: @unchecked Sendable {
    let transposeA: Bool, transposeB: Bool
    let k: Int
    let alpha: Float
    let a: UnsafePointer<Float>, lda: Int
    let b: UnsafePointer<Float>, ldb: Int
    let beta: Float
    let c: UnsafeMutablePointer<Float>, ldc: Int
}

/// Pool of 64-byte aligned scratch buffers for packed panels. Reusing them avoids a fresh
/// allocation (and its page faults) on every call; each buffer is owned by one thread at a time.
final class SGEMMScratchPool: @unchecked Sendable {
    struct Buffer {
        let pointer: UnsafeMutableRawPointer
        let byteCount: Int
    }

    private let lock = NSLock()
    private var buffers: [Buffer] = []
    /// Most idle buffers kept; extra ones are freed (smallest first).
    private let capacity = 8

    /// Returns an idle buffer of at least `byteCount` bytes, or a new one.
    func take(byteCount: Int) -> Buffer {
        lock.lock()
        if let index = buffers.firstIndex(where: { $0.byteCount >= byteCount }) {
            let buffer = buffers.remove(at: index)
            lock.unlock()
            return buffer
        }
        lock.unlock()
        return Buffer(pointer: .allocate(byteCount: byteCount, alignment: 64), byteCount: byteCount)
    }

    /// Returns a buffer obtained from `take` to the pool.
    func give(_ buffer: Buffer) {
        lock.lock()
        buffers.append(buffer)
        buffers.sort { $0.byteCount < $1.byteCount }
        let evicted = buffers.count > capacity ? buffers.removeFirst() : nil
        lock.unlock()
        evicted?.pointer.deallocate()
    }
}

/// Scratch buffers shared by all sgemm calls.
let sgemmScratchPool = SGEMMScratchPool()

/// C = beta * C (C not read when beta == 0).
func sgemmScale(m: Int, n: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    for i in 0..<m {
        let row = c + i * ldc
        if beta == 0 {
            row.update(repeating: 0, count: n)
        } else if beta != 1 {
            for j in 0..<n { row[j] *= beta }
        }
    }
}

/// Computes the block C[rows, cols] of the problem on the calling thread. `finishedRows`, when
/// given, is called with each micro-panel of rows as soon as its part of C is final (its inputs
/// are still in cache), so a fused operation can post-process them there.
func sgemmBlock(_ p: SGEMMProblem, rows: Range<Int>, cols: Range<Int>, finishedRows: ((Range<Int>) -> Void)? = nil) {
    let k = p.k
    // Depth of a k block: as deep as the L2-resident B panel allows (fewer passes over C),
    // at least sgemmKC, split evenly.
    let colsPadded = (cols.count + sgemmNR - 1) / sgemmNR * sgemmNR
    let kcMax = max(sgemmKC, min(sgemmKCMax, sgemmPanelFloats / colsPadded))
    let kBlocks = (k + kcMax - 1) / kcMax
    let kcStep = (k + kBlocks - 1) / kBlocks
    // Width of the B panel, so that kc x nc floats fit the L2 budget.
    let ncStep = min(colsPadded, max(sgemmNR, sgemmPanelFloats / kcStep / sgemmNR * sgemmNR))
    let aCount = (sgemmMR * kcStep + 15) & ~15, bCount = ncStep * kcStep, tailCount = (sgemmDotWidth * kcStep + 15) & ~15
    let total = aCount + bCount + tailCount + sgemmMR * sgemmNR
    let scratch = sgemmScratchPool.take(byteCount: total * MemoryLayout<Float>.stride)
    defer { sgemmScratchPool.give(scratch) }
    let packedA = scratch.pointer.bindMemory(to: Float.self, capacity: total)
    let packedB = packedA + aCount
    let tailColumns = packedB + bCount
    let tile = tailColumns + tailCount

    for jc in stride(from: cols.lowerBound, to: cols.upperBound, by: ncStep) {
        let nc = min(ncStep, cols.upperBound - jc)
        for pc in stride(from: 0, to: k, by: kcStep) {
            let kc = min(kcStep, k - pc)
            let beta = pc == 0 ? p.beta : 1
            sgemmPackB(p, p0: pc, kc: kc, j0: jc, nc: nc, into: packedB)
            // A last sliver of at most sgemmDotWidth columns goes through dot products (GEMMNarrowTail.swift),
            // which read A's rows in place: not when A is transposed.
            let tailStart = (nc - 1) / sgemmNR * sgemmNR
            let narrowTail = !p.transposeA && nc - tailStart <= sgemmDotWidth
            if narrowTail { sgemmTransposeTail(packedB + tailStart * kc, kc: kc, into: tailColumns) }
            for i in stride(from: rows.lowerBound, to: rows.upperBound, by: sgemmMR) {
                let mr = min(sgemmMR, rows.upperBound - i)
                let a: UnsafePointer<Float>, rowStride: Int, kStride: Int
                if mr < sgemmMR || p.transposeA {
                    // Stored transposed, the sliver spans kc cache lines: pack it to keep it in L1.
                    sgemmPackA(p, i0: i, mr: mr, p0: pc, kc: kc, into: packedA)
                    (a, rowStride, kStride) = (UnsafePointer(packedA), 1, sgemmMR)
                } else {
                    (a, rowStride, kStride) = (p.a + i * p.lda + pc, p.lda, 1)
                }
                for jr in stride(from: 0, to: nc, by: sgemmNR) {
                    if narrowTail && jr == tailStart && mr == sgemmMR {
                        sgemmDotTile6x4(kc: kc, a: a, lda: rowStride, columns: tailColumns, nr: nc - jr,
                                        c: p.c + i * p.ldc + jc + jr, ldc: p.ldc, alpha: p.alpha, beta: beta)
                        continue
                    }
                    sgemmMicroTile(p, a: a, rowStride: rowStride, kStride: kStride, b: packedB + jr * kc,
                                   kc: kc, row: i, mr: mr, col: jc + jr, nr: min(sgemmNR, nc - jr),
                                   beta: beta, tile: tile)
                }
                if let finishedRows, jc + nc == cols.upperBound, pc + kc == k { finishedRows(i..<(i + mr)) }
            }
        }
    }
}

/// Updates C[row..<row+mr, col..<col+nr] with one micro-tile product. Full tiles go straight to C;
/// partial ones are computed into the MR x NR scratch `tile` and merged.
@inline(__always)
func sgemmMicroTile(_ p: SGEMMProblem, a: UnsafePointer<Float>, rowStride: Int, kStride: Int,
                    b: UnsafeMutablePointer<Float>, kc: Int, row: Int, mr: Int, col: Int, nr: Int,
                    beta: Float, tile: UnsafeMutablePointer<Float>) {
    let ldc = p.ldc, alpha = p.alpha
    let b = UnsafePointer(b)
    let c = p.c + row * ldc + col
    if mr == sgemmMR && nr == sgemmNR {
        sgemmKernel6x16(kc: kc, a: a, rowStride: rowStride, kStride: kStride, b: b,
                        c: c, ldc: ldc, alpha: alpha, beta: beta)
    } else if mr == sgemmMR && nr == 8 {
        sgemmKernel6x8(kc: kc, a: a, rowStride: rowStride, kStride: kStride, b: b,
                       c: c, ldc: ldc, alpha: alpha, beta: beta)
    } else {
        if nr <= 8 {
            sgemmKernel6x8(kc: kc, a: a, rowStride: rowStride, kStride: kStride, b: b,
                           c: tile, ldc: sgemmNR, alpha: alpha, beta: 0)
        } else {
            sgemmKernel6x16(kc: kc, a: a, rowStride: rowStride, kStride: kStride, b: b,
                            c: tile, ldc: sgemmNR, alpha: alpha, beta: 0)
        }
        for i in 0..<mr {
            let src = tile + i * sgemmNR, dst = c + i * ldc
            if beta == 0 {
                for j in 0..<nr { dst[j] = src[j] }
            } else {
                for j in 0..<nr { dst[j] = src[j] + beta * dst[j] }
            }
        }
    }
}

/// Packs the sliver op(A)[i0..<i0+mr, p0..<p0+kc] (mr <= MR) as MR elements per k step,
/// zero padded past row i0+mr.
func sgemmPackA(_ p: SGEMMProblem, i0: Int, mr: Int, p0: Int, kc: Int, into dst: UnsafeMutablePointer<Float>) {
    let (rowStride, kStride) = p.transposeA ? (1, p.lda) : (p.lda, 1)
    var src = p.a + p0 * kStride + i0 * rowStride
    var out = dst
    for _ in 0..<kc {
        for r in 0..<mr { out[r] = src[r * rowStride] }
        for r in mr..<sgemmMR { out[r] = 0 }
        src += kStride
        out += sgemmMR
    }
}

/// Packs op(B)[p0..<p0+kc, j0..<j0+nc] into NR-column slivers: sliver s holds, for each k step,
/// the NR elements of columns j0+s*NR..., zero padded past column j0+nc.
func sgemmPackB(_ p: SGEMMProblem, p0: Int, kc: Int, j0: Int, nc: Int, into dst: UnsafeMutablePointer<Float>) {
    let ldb = p.ldb
    var out = dst
    for jr in stride(from: 0, to: nc, by: sgemmNR) {
        let nr = min(sgemmNR, nc - jr)
        if !p.transposeB {
            // op(B)[q, j] = b[q * ldb + j]: each k step is a contiguous run of columns.
            var src = p.b + p0 * ldb + j0 + jr
            if nr == sgemmNR {
                for _ in 0..<kc {
                    sgemmStore(sgemmLoad(src), out)
                    sgemmStore(sgemmLoad(src + 8), out + 8)
                    src += ldb
                    out += sgemmNR
                }
            } else {
                for _ in 0..<kc {
                    for j in 0..<nr { out[j] = src[j] }
                    for j in nr..<sgemmNR { out[j] = 0 }
                    src += ldb
                    out += sgemmNR
                }
            }
        } else {
            // op(B)[q, j] = b[j * ldb + q]: NR column streams, interleaved. Eight k steps at a time,
            // each half sliver is 8 loads of 8 consecutive elements (zeros past column nr),
            // transposed in registers; the remaining k steps go one element at a time.
            let src = p.b + (j0 + jr) * ldb + p0
            var q = 0
            while q + 8 <= kc {
                for half in 0..<2 {
                    let present = min(8, max(0, nr - half * 8))
                    let base = src + half * 8 * ldb + q
                    @inline(__always) func row(_ r: Int) -> SIMD8<Float> { r < present ? sgemmLoad(base + r * ldb) : SIMD8() }
                    var rows = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
                    if present > 0 { sgemmTranspose8x8(&rows) }
                    let target = out + half * 8
                    sgemmStore(rows.0, target)
                    sgemmStore(rows.1, target + sgemmNR)
                    sgemmStore(rows.2, target + 2 * sgemmNR)
                    sgemmStore(rows.3, target + 3 * sgemmNR)
                    sgemmStore(rows.4, target + 4 * sgemmNR)
                    sgemmStore(rows.5, target + 5 * sgemmNR)
                    sgemmStore(rows.6, target + 6 * sgemmNR)
                    sgemmStore(rows.7, target + 7 * sgemmNR)
                }
                q += 8
                out += 8 * sgemmNR
            }
            for step in q..<kc {
                for j in 0..<nr { out[j] = src[j * ldb + step] }
                for j in nr..<sgemmNR { out[j] = 0 }
                out += sgemmNR
            }
        }
    }
}

/// Transposes the 8×8 matrix whose rows are `rows`: three rounds of splitting the 64 elements
/// into even and odd positions (each round rotates the six index bits by one; three swap row and
/// column).
@inline(__always)
func sgemmTranspose8x8(_ rows: inout (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>,
                                      SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)) {
    for _ in 0..<3 {
        let pairs = (SIMD16(lowHalf: rows.0, highHalf: rows.1), SIMD16(lowHalf: rows.2, highHalf: rows.3),
                     SIMD16(lowHalf: rows.4, highHalf: rows.5), SIMD16(lowHalf: rows.6, highHalf: rows.7))
        rows = (pairs.0.evenHalf, pairs.1.evenHalf, pairs.2.evenHalf, pairs.3.evenHalf,
                pairs.0.oddHalf, pairs.1.oddHalf, pairs.2.oddHalf, pairs.3.oddHalf)
    }
}

@inline(__always)
func sgemmLoad(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func sgemmLoad(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func sgemmStore(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// acc += x * y, lane-wise, fused (see the build note at the top of the file).
@inline(__always)
func sgemmMulAdd(_ acc: inout SIMD8<Float>, _ x: SIMD8<Float>, _ y: SIMD8<Float>) {
    acc.addProduct(x, y)
}

/// Stores alpha * acc + beta * C into 8 consecutive elements of C (C not read when beta == 0).
@inline(__always)
func sgemmUpdate(_ c: UnsafeMutablePointer<Float>, _ acc: SIMD8<Float>, _ alpha: Float, _ beta: Float) {
    if beta == 0 {
        sgemmStore(alpha * acc, c)
    } else {
        sgemmStore(alpha * acc + beta * sgemmLoad(c), c)
    }
}

/// 6 x 16 micro-kernel: C[0..<6, 0..<16] = alpha * (A · B) + beta * C for a 6 x kc sliver of A,
/// element (r, q) at `a[r * rowStride + q * kStride]` with rowStride == 1 or kStride == 1
/// (packed: 1 and 6), and a packed kc x 16 sliver of B. Twelve 8-lane accumulators.
func sgemmKernel6x16(kc: Int, a: UnsafePointer<Float>, rowStride: Int, kStride: Int, b: UnsafePointer<Float>,
                     c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
    // Two instantiations, so that the six A addresses are constant offsets from one or two bases.
    if rowStride == 1 {
        sgemmTile6x16(kc: kc, a: a, rowStride: 1, kStride: kStride, b: b, c: c, ldc: ldc, alpha: alpha, beta: beta)
    } else {
        sgemmTile6x16(kc: kc, a: a, rowStride: rowStride, kStride: 1, b: b, c: c, ldc: ldc, alpha: alpha, beta: beta)
    }
}

/// 6 x 8 micro-kernel for the last, at most 8 wide, column sliver: like `sgemmKernel6x16` but
/// uses only the first 8 columns of the packed (16-wide) B sliver.
func sgemmKernel6x8(kc: Int, a: UnsafePointer<Float>, rowStride: Int, kStride: Int, b: UnsafePointer<Float>,
                    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
    if rowStride == 1 {
        sgemmTile6x8(kc: kc, a: a, rowStride: 1, kStride: kStride, b: b, c: c, ldc: ldc, alpha: alpha, beta: beta)
    } else {
        sgemmTile6x8(kc: kc, a: a, rowStride: rowStride, kStride: 1, b: b, c: c, ldc: ldc, alpha: alpha, beta: beta)
    }
}

@inline(__always)
func sgemmTile6x16(kc: Int, a: UnsafePointer<Float>, rowStride: Int, kStride: Int, b: UnsafePointer<Float>,
                   c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
    var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
    var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
    var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
    var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
    var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
    var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
    let rs = rowStride
    var pa = a, pb = b
    for _ in 0..<kc {
        let b0 = sgemmLoad(pb), b1 = sgemmLoad(pb + 8)
        var x = SIMD8<Float>(repeating: pa[0])
        sgemmMulAdd(&c00, x, b0); sgemmMulAdd(&c01, x, b1)
        x = SIMD8<Float>(repeating: pa[rs])
        sgemmMulAdd(&c10, x, b0); sgemmMulAdd(&c11, x, b1)
        x = SIMD8<Float>(repeating: pa[2 * rs])
        sgemmMulAdd(&c20, x, b0); sgemmMulAdd(&c21, x, b1)
        x = SIMD8<Float>(repeating: pa[3 * rs])
        sgemmMulAdd(&c30, x, b0); sgemmMulAdd(&c31, x, b1)
        x = SIMD8<Float>(repeating: pa[4 * rs])
        sgemmMulAdd(&c40, x, b0); sgemmMulAdd(&c41, x, b1)
        x = SIMD8<Float>(repeating: pa[5 * rs])
        sgemmMulAdd(&c50, x, b0); sgemmMulAdd(&c51, x, b1)
        pa += kStride
        pb += sgemmNR
    }
    var row = c
    sgemmUpdate(row, c00, alpha, beta); sgemmUpdate(row + 8, c01, alpha, beta); row += ldc
    sgemmUpdate(row, c10, alpha, beta); sgemmUpdate(row + 8, c11, alpha, beta); row += ldc
    sgemmUpdate(row, c20, alpha, beta); sgemmUpdate(row + 8, c21, alpha, beta); row += ldc
    sgemmUpdate(row, c30, alpha, beta); sgemmUpdate(row + 8, c31, alpha, beta); row += ldc
    sgemmUpdate(row, c40, alpha, beta); sgemmUpdate(row + 8, c41, alpha, beta); row += ldc
    sgemmUpdate(row, c50, alpha, beta); sgemmUpdate(row + 8, c51, alpha, beta)
}

@inline(__always)
func sgemmTile6x8(kc: Int, a: UnsafePointer<Float>, rowStride: Int, kStride: Int, b: UnsafePointer<Float>,
                  c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
    var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>()
    var c3 = SIMD8<Float>(), c4 = SIMD8<Float>(), c5 = SIMD8<Float>()
    let rs = rowStride
    var pa = a, pb = b
    for _ in 0..<kc {
        let b0 = sgemmLoad(pb)
        sgemmMulAdd(&c0, SIMD8<Float>(repeating: pa[0]), b0)
        sgemmMulAdd(&c1, SIMD8<Float>(repeating: pa[rs]), b0)
        sgemmMulAdd(&c2, SIMD8<Float>(repeating: pa[2 * rs]), b0)
        sgemmMulAdd(&c3, SIMD8<Float>(repeating: pa[3 * rs]), b0)
        sgemmMulAdd(&c4, SIMD8<Float>(repeating: pa[4 * rs]), b0)
        sgemmMulAdd(&c5, SIMD8<Float>(repeating: pa[5 * rs]), b0)
        pa += kStride
        pb += sgemmNR
    }
    var row = c
    sgemmUpdate(row, c0, alpha, beta); row += ldc
    sgemmUpdate(row, c1, alpha, beta); row += ldc
    sgemmUpdate(row, c2, alpha, beta); row += ldc
    sgemmUpdate(row, c3, alpha, beta); row += ldc
    sgemmUpdate(row, c4, alpha, beta); row += ldc
    sgemmUpdate(row, c5, alpha, beta)
}
