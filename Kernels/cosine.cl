// The anchor classifier's cosine-distance product, around the tiled GEMM of gemm.cl.
//
// The host computes the inverse row norms of X (m x n) and of the anchors A (K·P x n) with one
// inverse_row_norms launch, the dot products X·Aᵀ with gemm.cl into the cosine buffer, and then
// log_distance turns each dot product into a cosine and sums log(max(1 - c, ε)) over each class's
// P anchors.

#define NORM_FLOOR 1e-12f

// The inverse norms 1 / max(|row|, ν) of two matrices with the same number of columns in one
// launch: rows 0..<rowsA of A into outA, then rows of B into outB. Global size: (rowsA + rowsB).
__kernel void inverse_row_norms(const int rowsA, const int rowsB, const int columns,
                                __global const float* a, __global const float* b, __global float* outA, __global float* outB)
{
    const int r = get_global_id(0);
    if (r >= rowsA + rowsB) return;
    const bool first = r < rowsA;
    __global const float* row = first ? a + (size_t)r * columns : b + (size_t)(r - rowsA) * columns;
    float8 partial = (float8)(0.0f);
    int c = 0;
    for (; c + 8 <= columns; c += 8) {
        const float8 x = vload8(0, row + c);
        partial = fma(x, x, partial);
    }
    float sum = ((partial.s0 + partial.s4) + (partial.s1 + partial.s5)) + ((partial.s2 + partial.s6) + (partial.s3 + partial.s7));
    for (; c < columns; ++c) sum = fma(row[c], row[c], sum);
    // fmax: max is undefined for infinities and NaN; a NaN norm gives the floor, but the row's
    // dot products are NaN already.
    const float scale = 1.0f / fmax(sqrt(sum), NORM_FLOOR);
    if (first) outA[r] = scale; else outB[r - rowsA] = scale;
}

// Scales row i of the m x (K·P) dot products by both inverse norms (giving cosines, written
// back), writes the terms log(max(1 - c, ε)) to `terms`, then logDistance[i][k] = Σ_p of class k's
// terms. The logarithms run on float8 vectors, several times faster than scalar ones on CPUs.
// A NaN cosine gives a NaN term (neither max nor fmax may be trusted with it). Global size: (m).
__kernel void log_distance(const int m, const int classes, const int perClass, const float epsilon,
                           __global float* cosines, __global const float* inverseRowNorms,
                           __global const float* inverseAnchorNorms, __global float* terms, __global float* logDistance)
{
    const int i = get_global_id(0);
    if (i >= m) return;
    const int anchors = classes * perClass;
    const float rowScale = inverseRowNorms[i];
    __global float* row = cosines + (size_t)i * anchors;
    __global float* rowTerms = terms + (size_t)i * anchors;
    int j = 0;
    for (; j + 8 <= anchors; j += 8) {
        const float8 cosine = vload8(0, row + j) * (rowScale * vload8(0, inverseAnchorNorms + j));
        vstore8(cosine, 0, row + j);
        const float8 distance = 1.0f - cosine;
        vstore8(log(select(fmax(distance, (float8)(epsilon)), distance, isnan(distance))), 0, rowTerms + j);
    }
    for (; j < anchors; ++j) {
        const float cosine = row[j] * (rowScale * inverseAnchorNorms[j]);
        row[j] = cosine;
        const float distance = 1.0f - cosine;
        rowTerms[j] = log(isnan(distance) ? distance : fmax(distance, epsilon));
    }
    for (int k = 0; k < classes; ++k) {
        float total = 0.0f;
        for (int p = 0; p < perClass; ++p) total += rowTerms[k * perClass + p];
        logDistance[(size_t)i * classes + k] = total;
    }
}
