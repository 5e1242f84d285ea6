// The anchor classifier's cosine-distance product, around the tiled GEMM of gemm.cl.
//
// The host computes the inverse row norms of X (m x n) and of the anchors A (K·P x n) with
// inverse_row_norms, the dot products X·Aᵀ with gemm.cl into the cosine buffer, and then
// log_distance turns each dot product into a cosine and sums log(max(1 - c, ε)) over each class's
// P anchors.

#define NORM_FLOOR 1e-12f

// out[r] = 1 / max(|row r|, ν) for a rows x columns matrix. Global size: (rows).
__kernel void inverse_row_norms(const int rows, const int columns, __global const float* matrix, __global float* out)
{
    const int r = get_global_id(0);
    if (r >= rows) return;
    __global const float* row = matrix + (size_t)r * columns;
    float8 partial = (float8)(0.0f);
    int c = 0;
    for (; c + 8 <= columns; c += 8) {
        const float8 x = vload8(0, row + c);
        partial = fma(x, x, partial);
    }
    float sum = ((partial.s0 + partial.s4) + (partial.s1 + partial.s5)) + ((partial.s2 + partial.s6) + (partial.s3 + partial.s7));
    for (; c < columns; ++c) sum = fma(row[c], row[c], sum);
    out[r] = 1.0f / max(sqrt(sum), NORM_FLOOR);
}

// Scales row i of the m x (K·P) dot products by both inverse norms (giving cosines, written
// back) and writes logDistance[i][k] = Σ_p log(max(1 - c_{i,kP+p}, ε)). Global size: (K, m).
__kernel void log_distance(const int m, const int classes, const int perClass, const float epsilon,
                           __global float* cosines, __global const float* inverseRowNorms,
                           __global const float* inverseAnchorNorms, __global float* logDistance)
{
    const int k = get_global_id(0);
    const int i = get_global_id(1);
    if (k >= classes || i >= m) return;
    const int anchors = classes * perClass;
    const float rowScale = inverseRowNorms[i];
    __global float* row = cosines + (size_t)i * anchors + k * perClass;
    float total = 0.0f;
    for (int p = 0; p < perClass; ++p) {
        const float cosine = row[p] * (rowScale * inverseAnchorNorms[k * perClass + p]);
        row[p] = cosine;
        total += log(max(1.0f - cosine, epsilon));
    }
    logDistance[(size_t)i * classes + k] = total;
}
