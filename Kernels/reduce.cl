// Reductions and softmax over the middle extent of an outer x length x inner view: element
// (o, k, i) is at (o * length + k) * inner + i, and a line is the `length` elements of one (o, i).
//
// A reduction pass splits every line into parts of at most `segment` elements and reduces each part
// into an outer x parts x inner result (parts = ceil(length / segment)); the host repeats passes
// over the results until one part is left. Long lines are thus summed as a tree of short float sums
// (accurate) by many work-items (parallel even when there are few lines). `maximum*` give the largest
// value of each part and the index of its first occurrence (as a float), reading the indices of
// the previous pass when `indexed`; NaN counts as the largest value.
//
// The *_rows kernels (inner == 1) read a contiguous row 8 elements at a time; the others take 8
// neighbouring lines at a time (contiguous too) in the lanes of a float8.
//   sum_rows, maximum_rows: global size (parts, outer).
//   sum, maximum:           global size (ceil(inner / 8), parts, outer).
//   softmax_rows:           global size (outer), a row per work-item.
//   softmax_lines:          global size (ceil(inner / 8), outer), 8 lines per work-item.
// Softmax takes three passes over a line: the maximum m; the sum of e^(x - m) (compensated; the
// exponentials are stored for softmax); then e / sum, or x - m - ln(sum).

// The sum of the lanes of `v`, pairwise.
float sum_lanes(const float8 v)
{
    const float4 halves = v.lo + v.hi;
    const float2 quarters = halves.lo + halves.hi;
    return quarters.x + quarters.y;
}

// Whether `value` replaces the running maximum `best`: it is larger, or the first NaN. Ties keep the
// earlier element, so the index is that of the first maximum. (For float8, lane by lane.)
#define REPLACES(value, best) ((value) > (best) || (isnan(value) && !isnan(best)))

// Declares `part`, `start` and `end` (the part's elements of the line) for a kernel whose global
// axis 1 is the part and axis 2 (or 1 for rows) the outer index, or returns past the end.
#define PART(outerAxis)                                                                                    \
    const int part = get_global_id(outerAxis - 1);                                                        \
    const int o = get_global_id(outerAxis);                                                               \
    const int parts = (length + segment - 1) / segment;                                                   \
    if (part >= parts || o >= outer) return;                                                              \
    const int start = part * segment;                                                                     \
    const int end = min(length, start + segment);

__kernel void sum_rows(__global const float* input, const int outer, const int length, const int segment,
                       __global float* output)
{
    PART(1)
    __global const float* x = input + o * length;
    float8 total = (float8)(0.0f);
    for (int k = start; k < end; k += 8) total += load8(x + k, min(8, end - k), 0.0f);
    output[o * parts + part] = sum_lanes(total);
}

__kernel void sum(__global const float* input, const int outer, const int length, const int inner, const int segment,
                  __global float* output)
{
    PART(2)
    const int first = get_global_id(0) * 8;
    if (first >= inner) return;
    const int valid = min(8, inner - first);
    __global const float* lines = input + o * length * inner + first;
    float8 total = (float8)(0.0f);
    for (int k = start; k < end; ++k) total += load8(lines + k * inner, valid, 0.0f);
    store8(total, output + (o * parts + part) * inner + first, valid);
}

__kernel void maximum_rows(__global const float* values, __global const float* indices, const int indexed,
                           const int outer, const int length, const int segment,
                           __global float* maxima, __global float* positions)
{
    PART(1)
    __global const float* x = values + o * length;
    __global const float* at = indices + o * length;
    const int8 lane = (int8)(0, 1, 2, 3, 4, 5, 6, 7);
    // Lane l keeps the maximum of elements start + l + 8j; padding (-infinity) never replaces.
    const int lanes = min(8, end - start);
    float8 best = load8(x + start, lanes, -INFINITY);
    float8 position = indexed ? load8(at + start, lanes, 0.0f) : convert_float8(start + lane);
    for (int k = start + 8; k < end; k += 8) {
        const int valid = min(8, end - k);
        const float8 value = load8(x + k, valid, -INFINITY);
        const int8 replaces = REPLACES(value, best);
        best = select(best, value, replaces);
        position = select(position, indexed ? load8(at + k, valid, 0.0f) : convert_float8(k + lane), replaces);
    }
    // Combine the lanes: the larger value, or the earlier element among equal values (or NaNs).
    float bests[8], places[8];
    vstore8(best, 0, bests);
    vstore8(position, 0, places);
    float m = bests[0];
    float place = places[0];
    for (int l = 1; l < lanes; ++l) {
        const bool tie = bests[l] == m || (isnan(bests[l]) && isnan(m));
        if (REPLACES(bests[l], m) || (tie && places[l] < place)) {
            m = bests[l];
            place = places[l];
        }
    }
    maxima[o * parts + part] = m;
    positions[o * parts + part] = place;
}

__kernel void maximum(__global const float* values, __global const float* indices, const int indexed,
                      const int outer, const int length, const int inner, const int segment,
                      __global float* maxima, __global float* positions)
{
    PART(2)
    const int first = get_global_id(0) * 8;
    if (first >= inner) return;
    const int valid = min(8, inner - first);
    const int base = o * length * inner + first;
    float8 best = load8(values + base + start * inner, valid, 0.0f);
    float8 position = indexed ? load8(indices + base + start * inner, valid, 0.0f) : (float8)((float)start);
    for (int k = start + 1; k < end; ++k) {
        const float8 value = load8(values + base + k * inner, valid, 0.0f);
        const int8 replaces = REPLACES(value, best);
        best = select(best, value, replaces);
        position = select(position, indexed ? load8(indices + base + k * inner, valid, 0.0f) : (float8)((float)k), replaces);
    }
    const int result = (o * parts + part) * inner + first;
    store8(best, maxima + result, valid);
    store8(position, positions + result, valid);
}

// Kahan's compensated `sum += value` (float or floatN), with the running compensation `error`.
#define COMPENSATED_ADD(type, sum, error, value) {                                                         \
    const type corrected = (value) - error;                                                                \
    const type next = sum + corrected;                                                                     \
    error = (next - sum) - corrected;                                                                      \
    sum = next;                                                                                            \
}

__kernel void softmax_rows(__global const float* input, __global float* output, const int outer, const int length,
                           const int logarithmic)
{
    const int row = get_global_id(0);
    if (row >= outer) return;
    __global const float* x = input + row * length;
    __global float* y = output + row * length;

    float8 maxima = (float8)(-INFINITY);
    for (int k = 0; k < length; k += 8) maxima = fmax(maxima, load8(x + k, min(8, length - k), -INFINITY));
    const float4 halves = fmax(maxima.lo, maxima.hi);
    const float2 quarters = fmax(halves.lo, halves.hi);
    const float m = fmax(quarters.x, quarters.y);

    float8 sums = (float8)(0.0f);
    float8 errors = (float8)(0.0f);
    for (int k = 0; k < length; k += 8) {
        const int valid = min(8, length - k);
        const float8 e = exp(load8(x + k, valid, -INFINITY) - m);
        if (!logarithmic) store8(e, y + k, valid);
        COMPENSATED_ADD(float8, sums, errors, e)
    }
    float lanes[8];
    vstore8(sums - errors, 0, lanes);
    float total = 0.0f;
    float error = 0.0f;
    for (int lane = 0; lane < 8; ++lane) COMPENSATED_ADD(float, total, error, lanes[lane])

    if (logarithmic) {
        const float logTotal = log(total);
        for (int k = 0; k < length; k += 8) {
            const int valid = min(8, length - k);
            store8(load8(x + k, valid, 0.0f) - m - logTotal, y + k, valid);
        }
    } else {
        for (int k = 0; k < length; k += 8) {
            const int valid = min(8, length - k);
            store8(load8(y + k, valid, 0.0f) / total, y + k, valid);
        }
    }
}

__kernel void softmax_lines(__global const float* input, __global float* output, const int outer, const int length,
                            const int inner, const int logarithmic)
{
    const int first = get_global_id(0) * 8;
    const int o = get_global_id(1);
    if (first >= inner || o >= outer) return;
    const int valid = min(8, inner - first);
    __global const float* x = input + o * length * inner + first;
    __global float* y = output + o * length * inner + first;

    float8 m = (float8)(-INFINITY);
    for (int k = 0; k < length; ++k) m = fmax(m, load8(x + k * inner, valid, 0.0f));
    float8 total = (float8)(0.0f);
    float8 error = (float8)(0.0f);
    for (int k = 0; k < length; ++k) {
        const float8 e = exp(load8(x + k * inner, valid, 0.0f) - m);
        if (!logarithmic) store8(e, y + k * inner, valid);
        COMPENSATED_ADD(float8, total, error, e)
    }
    total -= error;
    if (logarithmic) {
        const float8 logTotal = log(total);
        for (int k = 0; k < length; ++k) store8(load8(x + k * inner, valid, 0.0f) - m - logTotal, y + k * inner, valid);
    } else {
        for (int k = 0; k < length; ++k) store8(load8(y + k * inner, valid, 0.0f) / total, y + k * inner, valid);
    }
}
