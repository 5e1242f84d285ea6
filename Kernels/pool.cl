// Pooling: 2-D max and average pooling on NCHW tensors, forward and backward.
//
// A window covers only in-bounds elements: padding never wins a max and is not counted in an
// average. A max window's winner is its first largest element in row-major order, a NaN counting
// as larger than any number. In the backward kernels each work-item owns one input-gradient row
// and adds into it, window by window in a fixed order, the gradients of the windows that reach
// it: deterministic, without atomics. Work-items loop over rows because on CPU devices (PoCL) a
// work-item per element costs more than the element's work.
//
// max_pool, average_pool:                    global size (OH, N * C), one output row each.
// max_pool_backward, average_pool_backward:  global size (H, N * C), one input-gradient row each.

typedef struct {
    int H, W;                   // input size
    int OH, OW;                 // output size
    int windowH, windowW;
    int strideH, strideW;
    int padH, padW;
} Geometry;

// The in-bounds rows [*h0, *h1) and columns [*w0, *w1) of the window of output (oh, ow).
static void window(const Geometry g, const int oh, const int ow, int* h0, int* h1, int* w0, int* w1)
{
    const int top = oh * g.strideH - g.padH;
    const int left = ow * g.strideW - g.padW;
    *h0 = max(top, 0);
    *h1 = min(top + g.windowH, g.H);
    *w0 = max(left, 0);
    *w1 = min(left + g.windowW, g.W);
}

// The index in `plane` of the first largest element of the window of output (oh, ow).
static int first_maximum(const Geometry g, __global const float* plane, const int oh, const int ow)
{
    int h0, h1, w0, w1;
    window(g, oh, ow, &h0, &h1, &w0, &w1);
    int best = h0 * g.W + w0;
    float largest = plane[best];
    for (int h = h0; h < h1; ++h) {
        for (int w = w0; w < w1; ++w) {
            const float value = plane[h * g.W + w];
            if (value > largest || (isnan(value) && !isnan(largest))) {
                largest = value;
                best = h * g.W + w;
            }
        }
    }
    return best;
}

// The output rows whose windows reach input row ih: [*first, *end).
static void covering_rows(const Geometry g, const int ih, int* first, int* end)
{
    const int reach = ih + g.padH - g.windowH + 1;
    *first = reach <= 0 ? 0 : (reach + g.strideH - 1) / g.strideH;
    *end = min((ih + g.padH) / g.strideH + 1, g.OH);
}

__kernel void max_pool(const Geometry g, __global const float* input, __global float* output)
{
    const int oh = get_global_id(0);
    const int plane = get_global_id(1);
    input += plane * g.H * g.W;
    output += (plane * g.OH + oh) * g.OW;
    for (int ow = 0; ow < g.OW; ++ow) output[ow] = input[first_maximum(g, input, oh, ow)];
}

__kernel void average_pool(const Geometry g, __global const float* input, __global float* output)
{
    const int oh = get_global_id(0);
    const int plane = get_global_id(1);
    input += plane * g.H * g.W;
    output += (plane * g.OH + oh) * g.OW;
    for (int ow = 0; ow < g.OW; ++ow) {
        int h0, h1, w0, w1;
        window(g, oh, ow, &h0, &h1, &w0, &w1);
        float sum = 0.0f;
        for (int h = h0; h < h1; ++h) {
            for (int w = w0; w < w1; ++w) sum += input[h * g.W + w];
        }
        output[ow] = sum / (float)((h1 - h0) * (w1 - w0));
    }
}

// Each window whose first maximum lies in this row adds its gradient there.
__kernel void max_pool_backward(const Geometry g, __global const float* input, __global const float* outputGradient,
                                __global float* inputGradient)
{
    const int ih = get_global_id(0);
    const int plane = get_global_id(1);
    input += plane * g.H * g.W;
    outputGradient += plane * g.OH * g.OW;
    __global float* row = inputGradient + (plane * g.H + ih) * g.W;
    for (int iw = 0; iw < g.W; ++iw) row[iw] = 0.0f;
    int oh0, oh1;
    covering_rows(g, ih, &oh0, &oh1);
    for (int oh = oh0; oh < oh1; ++oh) {
        for (int ow = 0; ow < g.OW; ++ow) {
            const int column = first_maximum(g, input, oh, ow) - ih * g.W;
            if (column >= 0 && column < g.W) row[column] += outputGradient[oh * g.OW + ow];
        }
    }
}

// Each window reaching this row adds its gradient, divided by its in-bounds element count, to
// the row's elements it covers.
__kernel void average_pool_backward(const Geometry g, __global const float* outputGradient, __global float* inputGradient)
{
    const int ih = get_global_id(0);
    const int plane = get_global_id(1);
    outputGradient += plane * g.OH * g.OW;
    __global float* row = inputGradient + (plane * g.H + ih) * g.W;
    for (int iw = 0; iw < g.W; ++iw) row[iw] = 0.0f;
    int oh0, oh1;
    covering_rows(g, ih, &oh0, &oh1);
    for (int oh = oh0; oh < oh1; ++oh) {
        for (int ow = 0; ow < g.OW; ++ow) {
            int h0, h1, w0, w1;
            window(g, oh, ow, &h0, &h1, &w0, &w1);
            const float share = outputGradient[oh * g.OW + ow] / (float)((h1 - h0) * (w1 - w0));
            for (int w = w0; w < w1; ++w) row[w] += share;
        }
    }
}
