// Helpers shared by every kernel file: the backend compiles this file in front of each one.

// The `valid` (at most 8) elements from p on in the first lanes, `pad` in the others.
float8 load8(__global const float* p, const int valid, const float pad)
{
    if (valid == 8) return vload8(0, p);
    float lanes[8];
    for (int k = 0; k < 8; ++k) lanes[k] = k < valid ? p[k] : pad;
    return vload8(0, lanes);
}

// Stores the first `valid` (at most 8) lanes of `v` at p[0 ..< valid].
void store8(const float8 v, __global float* p, const int valid)
{
    if (valid == 8) {
        vstore8(v, 0, p);
        return;
    }
    float lanes[8];
    vstore8(v, 0, lanes);
    for (int k = 0; k < valid; ++k) p[k] = lanes[k];
}
