// The anchor classifier's cosine-distance product, around the tiled GEMM of gemm.cl, in three
// launches: pack_anchors packs the anchors A (K·P x n) transposed into the GEMM's column panels
// and writes their inverse norms, gemm.cl's gemm computes the dot products X·Aᵀ into the cosine
// buffer, and log_distance computes each input row's inverse norm, turns its dot products into
// cosines and sums log(max(1 - c, ε)) over each class's P anchors.
//
// Build options: TN, the GEMM's panel width (gemm.cl's VW·NV).

#ifndef TN
#define TN 16
#endif
#define NORM_FLOOR 1e-12f

// 1 / max(|row|, ν) for a row of n floats. fmax: max is undefined for infinities and NaN; a NaN
// norm gives the floor, but the row's dot products are NaN already.
inline float inverse_row_norm(__global const float* row, const int n)
{
    float8 partial = (float8)(0.0f);
    int k = 0;
    for (; k + 8 <= n; k += 8) {
        const float8 x = vload8(0, row + k);
        partial = fma(x, x, partial);
    }
    float sum = ((partial.s0 + partial.s4) + (partial.s1 + partial.s5)) + ((partial.s2 + partial.s6) + (partial.s3 + partial.s7));
    for (; k < n; ++k) sum = fma(row[k], row[k], sum);
    return 1.0f / fmax(sqrt(sum), NORM_FLOOR);
}

// Anchor j (a row of n features) becomes column j % TN of panel j / TN, as gemm.cl's pack_b
// lays out a transposed B: for each panel, n rows of TN floats, zero past the last anchor. Each
// work-item copies one anchor and writes its inverse norm. Global size: (ceil(anchors / TN) · TN).
__kernel void pack_anchors(const int anchors, const int n, __global const float* a, __global float* packed,
                           __global float* inverseNorms)
{
    const int j = get_global_id(0);
    if (j >= (anchors + TN - 1) / TN * TN) return;
    __global float* target = packed + (size_t)(j / TN) * n * TN + j % TN;
    if (j >= anchors) {
        for (int k = 0; k < n; ++k) target[(size_t)k * TN] = 0.0f;
        return;
    }
    __global const float* row = a + (size_t)j * n;
    for (int k = 0; k < n; ++k) target[(size_t)k * TN] = row[k];
    inverseNorms[j] = inverse_row_norm(row, n);
}

// max(1 - c, ε); a NaN distance stays NaN (neither max nor fmax may be trusted with it).
inline float8 clamped_distance(const float8 cosine, const float epsilon)
{
    const float8 distance = 1.0f - cosine;
    return select(fmax(distance, (float8)(epsilon)), distance, isnan(distance));
}

// Row i: computes the row's inverse norm from X, scales its dot products by both inverse norms
// (giving cosines, written back), writes the log-distance terms to `terms`, then
// logDistance[i][k] = Σ of class k's terms. With `pairs` (P even, ε² a normal float) each term is
// the logarithm of a pair of a class's distances multiplied (log a + log b = log ab, the product in
// [ε², 4]), which halves the logarithms; otherwise one term per anchor. The logarithms run on
// float8 vectors, several times faster than scalar ones on CPUs. Global size: (m).
__kernel void log_distance(const int m, const int n, const int classes, const int perClass, const float epsilon, const int pairs,
                           __global const float* x, __global float* cosines, __global const float* inverseAnchorNorms,
                           __global float* terms, __global float* logDistance)
{
    const int i = get_global_id(0);
    if (i >= m) return;
    const float rowScale = inverse_row_norm(x + (size_t)i * n, n);

    const int anchors = classes * perClass;
    __global float* row = cosines + (size_t)i * anchors;
    __global float* rowTerms = terms + (size_t)i * anchors;
    int j = 0;
    if (pairs) {
        for (; j + 16 <= anchors; j += 16) {
            const float8 first = vload8(0, row + j) * (rowScale * vload8(0, inverseAnchorNorms + j));
            const float8 second = vload8(0, row + j + 8) * (rowScale * vload8(0, inverseAnchorNorms + j + 8));
            vstore8(first, 0, row + j);
            vstore8(second, 0, row + j + 8);
            const float8 a = clamped_distance(first, epsilon), b = clamped_distance(second, epsilon);
            const float4 low = a.even * a.odd, high = b.even * b.odd;
            // Lane by lane: oclgrind 21.10's uninitialised-value check crashes on (float8)(float4, float4).
            const float8 products = (float8)(low.s0, low.s1, low.s2, low.s3, high.s0, high.s1, high.s2, high.s3);
            vstore8(log(products), 0, rowTerms + j / 2);
        }
        for (; j < anchors; j += 2) {
            const float2 cosine = vload2(0, row + j) * (rowScale * vload2(0, inverseAnchorNorms + j));
            vstore2(cosine, 0, row + j);
            const float2 distance = 1.0f - cosine;
            const float2 clamped = select(fmax(distance, (float2)(epsilon)), distance, isnan(distance));
            rowTerms[j / 2] = log(clamped.s0 * clamped.s1);
        }
    } else {
        for (; j + 8 <= anchors; j += 8) {
            const float8 cosine = vload8(0, row + j) * (rowScale * vload8(0, inverseAnchorNorms + j));
            vstore8(cosine, 0, row + j);
            vstore8(log(clamped_distance(cosine, epsilon)), 0, rowTerms + j);
        }
        for (; j < anchors; ++j) {
            const float cosine = row[j] * (rowScale * inverseAnchorNorms[j]);
            row[j] = cosine;
            const float distance = 1.0f - cosine;
            rowTerms[j] = log(isnan(distance) ? distance : fmax(distance, epsilon));
        }
    }
    const int termsPerClass = pairs ? perClass / 2 : perClass;
    for (int c = 0; c < classes; ++c) {
        float total = 0.0f;
        for (int t = 0; t < termsPerClass; ++t) total += rowTerms[c * termsPerClass + t];
        logDistance[(size_t)i * classes + c] = total;
    }
}

// The backward pass (formulas in CosineDistanceProduct): inverse_norms for the anchors,
// cosine_backward_rows for W, G⊙c and the rows' correction factors, cosine_backward_columns for the
// anchors'. The host forms each gradient's correction −diag(s·r²)·rows with elementwise.cl's
// broadcasting multiply, and the GEMM W·A or Wᵀ·X adds onto it (β = 1).

// out[r] = 1 / max(|row r|, ν) for a rows x n matrix. Global size: (rows).
__kernel void inverse_norms(const int rows, const int n, __global const float* a, __global float* out)
{
    const int r = get_global_id(0);
    if (r < rows) out[r] = inverse_row_norm(a + (size_t)r * n, n);
}

// Row i: G = −g·[d > ε] / max(d, ε) with d = 1 − c (in this order, so that NaN and infinities
// propagate as in the composite default), W = G·|xᵢ|⁻¹·|aⱼ|⁻¹ into w, G·c into gc, and
// rowFactor[i] = −(Σⱼ Gᵢⱼcᵢⱼ)·|xᵢ|⁻². Global size: (m).
__kernel void cosine_backward_rows(const int m, const int n, const int classes, const int perClass, const float epsilon,
                                   __global const float* x, __global const float* cosines, __global const float* g,
                                   __global const float* inverseAnchorNorms, __global float* w, __global float* gc,
                                   __global float* rowFactor)
{
    const int i = get_global_id(0);
    if (i >= m) return;
    const float rx = inverse_row_norm(x + (size_t)i * n, n);
    const int anchors = classes * perClass;
    const size_t row = (size_t)i * anchors;
    float sum = 0.0f;
    for (int j = 0; j < anchors; ++j) {
        const float c = cosines[row + j];
        const float d = 1.0f - c;
        const float passes = d - epsilon > 0.0f ? 1.0f : 0.0f;
        const float clamped = isnan(d) ? d : fmax(d, epsilon);
        const float G = -(g[(size_t)i * classes + j / perClass] * passes / clamped);
        w[row + j] = G * rx * inverseAnchorNorms[j];
        gc[row + j] = G * c;
        sum += G * c;
    }
    rowFactor[i] = -(sum * rx * rx);
}

// columnFactor[j] = −(Σᵢ gcᵢⱼ)·|aⱼ|⁻², summed in 8 interleaved partial sums. Global size: (anchors).
__kernel void cosine_backward_columns(const int m, const int anchors, __global const float* gc, __global const float* inverseAnchorNorms,
                                      __global float* columnFactor)
{
    const int j = get_global_id(0);
    if (j >= anchors) return;
    float partial[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    for (int i = 0; i < m; ++i) partial[i & 7] += gc[(size_t)i * anchors + j];
    const float sum = ((partial[0] + partial[4]) + (partial[1] + partial[5])) + ((partial[2] + partial[6]) + (partial[3] + partial[7]));
    columnFactor[j] = -(sum * inverseAnchorNorms[j] * inverseAnchorNorms[j]);
}
