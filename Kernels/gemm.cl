// GEMM: C = alpha * op(A) * B + beta * C, row-major, batched over get_global_id(2).
//
// Each work-item computes a TM x TN block of C in registers (TN = VW * NV: NV vectors of VW
// floats per row), streaming A by scalars (any strides, so op(A) may be a transposed view) and
// B by contiguous vector loads; a transposed B is transposed by the host beforehand. There is
// no local memory: on CPU devices (PoCL) a work-group's items run as a loop on one core, so the
// register tile and the caches do the reuse; the tile sizes are build options chosen per device.
//
// Build options: TM (rows per work-item), VW (vector width 1, 2, 4, 8 or 16), NV (vectors per row).

#ifndef TM
#define TM 4
#endif
#ifndef VW
#define VW 8
#endif
#ifndef NV
#define NV 2
#endif
#define TN (VW * NV)

#if VW == 1
typedef float floatv;
#define LOADV(p) (*(p))
#define STOREV(v, p) (*(p) = (v))
#else
#define CAT(a, b) a##b
#define XCAT(a, b) CAT(a, b)
typedef XCAT(float, VW) floatv;
#define LOADV(p) XCAT(vload, VW)(0, (p))
#define STOREV(v, p) XCAT(vstore, VW)((v), 0, (p))
#endif

// Global size: (ceil(N / TN), ceil(M / TM), batch). B is packed (by pack_b, or by a lowering
// kernel such as conv.cl's im2col_packed): for each TN-column panel, K rows of TN contiguous
// floats, zero beyond column N. Rows beyond M read row M-1 (their
// sums are computed and dropped), so every block runs the same unrolled loop.
__kernel void gemm(const int M, const int N, const int K,
                   __global const float* A, const int offsetA, const int rowStrideA, const int colStrideA, const int batchStrideA,
                   __global const float* packedB, const int offsetB, const int batchStrideB,
                   __global float* C, const int offsetC, const int ldc, const int batchStrideC,
                   const float alpha, const float beta)
{
    const int panel = get_global_id(0);
    const int j0 = panel * TN;
    const int i0 = get_global_id(1) * TM;
    const int batch = get_global_id(2);
    if (i0 >= M || j0 >= N) return;
    A += offsetA + batch * batchStrideA;
    __global const float* B = packedB + offsetB + batch * batchStrideB + panel * K * TN;
    __global const float* rowA[TM];
    #pragma unroll
    for (int r = 0; r < TM; ++r) rowA[r] = A + min(i0 + r, M - 1) * rowStrideA;

    floatv acc[TM][NV];
    #pragma unroll
    for (int r = 0; r < TM; ++r) {
        #pragma unroll
        for (int v = 0; v < NV; ++v) acc[r][v] = (floatv)(0.0f);
    }
    for (int k = 0; k < K; ++k) {
        floatv b[NV];
        #pragma unroll
        for (int v = 0; v < NV; ++v) b[v] = LOADV(B + k * TN + v * VW);
        #pragma unroll
        for (int r = 0; r < TM; ++r) {
            const floatv a = (floatv)(rowA[r][k * colStrideA]);
            #pragma unroll
            for (int v = 0; v < NV; ++v) acc[r][v] = fma(a, b[v], acc[r][v]);
        }
    }

    C += offsetC + batch * batchStrideC + i0 * ldc + j0;
    const int rows = min(TM, M - i0);
    const int columns = min(TN, N - j0);
    for (int r = 0; r < rows; ++r) {
        __global float* out = C + r * ldc;
        float lanes[TN];
        #pragma unroll
        for (int v = 0; v < NV; ++v) STOREV(acc[r][v], lanes + v * VW);
        if (columns == TN) {
            #pragma unroll
            for (int v = 0; v < NV; ++v) {
                floatv value = (floatv)(alpha) * LOADV(lanes + v * VW);
                if (beta != 0.0f) value = fma((floatv)(beta), LOADV(out + v * VW), value);
                STOREV(value, out + v * VW);
            }
        } else {
            for (int c = 0; c < columns; ++c) {
                float value = alpha * lanes[c];
                if (beta != 0.0f) value = fma(beta, out[c], value);
                out[c] = value;
            }
        }
    }
}

// Packs op(B) (K x N, element (k, j) at offset + k * rowStride + j * colStride, so a transposed B
// is a stride swap) into TN-column panels of K contiguous rows, zero-padded beyond column N.
// Each work-item writes one TN-wide row of one panel, with vector loads when B's rows are
// contiguous there. Global size: (K, ceil(N / TN), batch), so neighbouring work-items fill
// neighbouring rows of a panel.
__kernel void pack_b(const int K, const int N,
                     __global const float* B, const int offsetB, const int rowStride, const int colStride, const int batchStrideB,
                     __global float* packed, const int batchStridePacked)
{
    const int k = get_global_id(0);
    const int panel = get_global_id(1);
    const int batch = get_global_id(2);
    if (k >= K || panel * TN >= N) return;
    const int j0 = panel * TN;
    __global const float* source = B + offsetB + batch * batchStrideB + k * rowStride + j0 * colStride;
    __global float* target = packed + batch * batchStridePacked + panel * K * TN + k * TN;
    if (colStride == 1 && j0 + TN <= N) {
        #pragma unroll
        for (int v = 0; v < NV; ++v) STOREV(LOADV(source + v * VW), target + v * VW);
    } else {
        const int columns = min(TN, N - j0);
        for (int c = 0; c < TN; ++c) target[c] = c < columns ? source[c * colStride] : 0.0f;
    }
}

// C = beta * C over a rows x columns block (beta 0 writes zeros): a GEMM with an empty sum.
// Global size: (columns, rows, batch).
__kernel void scale(__global float* C, const int offset, const int ldc, const int batchStride, const float beta)
{
    __global float* element = C + offset + get_global_id(2) * batchStride + get_global_id(1) * ldc + get_global_id(0);
    *element = beta == 0.0f ? 0.0f : beta * *element;
}
