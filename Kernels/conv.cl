// Convolution lowering: the data movement around the GEMMs of the conv2d passes (NCHW).
//
// The column matrix of a batch chunk has one row per output position of each image
// (row = image * OH * OW + oh * OW + ow) and one column per filter tap over all C input channels
// (r = (c * KH + kh) * KW + kw, so a group's taps are contiguous); entry (row, r) is the input
// element that tap r meets at that position, 0 in the padding. Rows are positions so that every
// GEMM reads it as a plain row-major operand: the forward pass multiplies columns · filterᵀ
// (no large operand to pack), the filter gradient sums outputGradientᵀ · columns over images and
// positions together, and the data gradient writes outputGradient · filter into it.
//
// Work-items loop over whole rows or planes: on CPU devices (PoCL) each work-item costs about as
// much as copying a few dozen floats, and a row's bounds are then computed once, not per element.
//
// The forward pass instead lowers straight into the GEMM's packed-B layout (im2col_packed): for
// each image and group, panels of TN output positions holding the group's C/groups·KH·KW taps,
// so the GEMM `filter · columns` writes each image's NCHW output directly. TN comes from the GEMM
// tile's build options (gemm.cl), which this program is built with.
//
// im2col:        global size (images * C * KH * KW), one tap's column for one image each.
// im2col_packed: global size (images * C * KH * KW), one tap's packed positions for one image each.
// col2im:     global size (H, images * C), one input-gradient row each.
// transpose:  global size (columns, images), one column of one image's matrix each.

// The GEMM's panel width, from the build options gemm.cl takes (VW floats per vector, NV vectors).
#define TN (VW * NV)

typedef struct {
    int C, H, W;                // input channels and size
    int OH, OW;                 // output size
    int KH, KW;                 // kernel size
    int strideH, strideW;
    int padH, padW;
    int dilationH, dilationW;
} Geometry;

// The outputs o < outputs whose input coordinate o * stride + offset lies in [0, size): [*first, *end).
static void valid_outputs(const int offset, const int stride, const int size, const int outputs, int* first, int* end)
{
    *first = min(offset >= 0 ? 0 : (stride - 1 - offset) / stride, outputs);
    *end = size - 1 - offset < 0 ? *first : max(min((size - 1 - offset) / stride + 1, outputs), *first);
}

// Lowers `images` images, the first at input + inputOffset, into columns.
__kernel void im2col(const Geometry g, __global const float* input, const int inputOffset, __global float* columns)
{
    const int taps = g.C * g.KH * g.KW;
    const int item = get_global_id(0);
    const int image = item / taps;
    const int r = item % taps;
    const int kh = r / g.KW % g.KH;
    const int offsetW = r % g.KW * g.dilationW - g.padW;
    int ow0, ow1;
    valid_outputs(offsetW, g.strideW, g.W, g.OW, &ow0, &ow1);
    __global const float* plane = input + inputOffset + (image * g.C + r / (g.KH * g.KW)) * g.H * g.W;
    __global float* target = columns + image * g.OH * g.OW * taps + r;
    for (int oh = 0; oh < g.OH; ++oh, target += g.OW * taps) {
        const int ih = oh * g.strideH - g.padH + kh * g.dilationH;
        if (ih < 0 || ih >= g.H) {
            for (int ow = 0; ow < g.OW; ++ow) target[ow * taps] = 0.0f;
            continue;
        }
        for (int ow = 0; ow < ow0; ++ow) target[ow * taps] = 0.0f;
        for (int ow = ow0; ow < ow1; ++ow) target[ow * taps] = plane[ih * g.W + ow * g.strideW + offsetW];
        for (int ow = ow1; ow < g.OW; ++ow) target[ow * taps] = 0.0f;
    }
}

// Lowers `images` images, the first at input + inputOffset, into packed panels: for image n,
// group q, panel p and tap t of the group, TN consecutive output positions at
// packed[((n * groups + q) * panels + p) * patch * TN + t * TN], 0 in the padding and past OH * OW.
// Each work-item lowers one tap of one image: it zeroes the tap's panels, then copies each output
// row's valid run of inputs (computed once per tap, as im2col does), split where it crosses a
// panel boundary, so the inner loops are plain copies.
#define PACKED(position) (((position) / TN) * patch * TN + (position) % TN)
__kernel void im2col_packed(const Geometry g, const int groups, const int images, __global const float* input,
                            const int inputOffset, __global float* packed)
{
    const int item = get_global_id(0);
    const int taps = g.C * g.KH * g.KW;
    if (item >= images * taps) return;
    const int plane = g.OH * g.OW;
    const int panels = (plane + TN - 1) / TN;
    const int image = item / taps;
    const int r = item % taps;
    const int patch = taps / groups;
    const int kh = r / g.KW % g.KH;
    const int offsetW = r % g.KW * g.dilationW - g.padW;
    int ow0, ow1;
    valid_outputs(offsetW, g.strideW, g.W, g.OW, &ow0, &ow1);
    __global const float* source = input + inputOffset + (image * g.C + r / (g.KH * g.KW)) * g.H * g.W;
    __global float* target = packed + ((size_t)(image * groups + r / patch) * panels * patch + r % patch) * TN;
    // Zero every panel first, then copy each output row's valid run of inputs, split where it
    // crosses a panel boundary, so the inner loops are plain copies.
    for (int panel = 0; panel < panels; ++panel) {
        __global float* lanes = target + panel * patch * TN;
        for (int j = 0; j < TN; ++j) lanes[j] = 0.0f;
    }
    for (int oh = 0; oh < g.OH; ++oh) {
        const int ih = oh * g.strideH - g.padH + kh * g.dilationH;
        if (ih < 0 || ih >= g.H) continue;
        __global const float* from = source + ih * g.W + offsetW;
        for (int ow = ow0; ow < ow1;) {
            const int position = oh * g.OW + ow;
            const int run = min(ow1 - ow, TN - position % TN);
            __global float* to = target + PACKED(position);
            for (int j = 0; j < run; ++j) to[j] = from[(ow + j) * g.strideW];
            ow += run;
        }
    }
}
#undef PACKED

// The adjoint of im2col: overwrites `images` images of the input gradient, the first at
// inputGradient + inputOffset. Each work-item owns one input row and adds into it, tap by tap in
// a fixed order, every column entry that lands there: deterministic, without atomics.
__kernel void col2im(const Geometry g, __global const float* columns, __global float* inputGradient, const int inputOffset)
{
    const int ih = get_global_id(0);
    const int plane = get_global_id(1);
    const int image = plane / g.C;
    const int c = plane % g.C;
    const int taps = g.C * g.KH * g.KW;
    __global const float* source = columns + image * g.OH * g.OW * taps + c * g.KH * g.KW;
    __global float* row = inputGradient + inputOffset + (plane * g.H + ih) * g.W;
    for (int iw = 0; iw < g.W; ++iw) row[iw] = 0.0f;
    for (int kh = 0; kh < g.KH; ++kh) {
        const int y = ih + g.padH - kh * g.dilationH;
        if (y < 0 || y % g.strideH != 0 || y / g.strideH >= g.OH) continue;
        for (int kw = 0; kw < g.KW; ++kw) {
            const int offsetW = kw * g.dilationW - g.padW;
            int ow0, ow1;
            valid_outputs(offsetW, g.strideW, g.W, g.OW, &ow0, &ow1);
            __global const float* values = source + y / g.strideH * g.OW * taps + kh * g.KW + kw;
            for (int ow = ow0; ow < ow1; ++ow) row[ow * g.strideW + offsetW] += values[ow * taps];
        }
    }
}

// Transposes each image's rows x columns matrix, the first at source + sourceOffset, into
// destination + destinationOffset: from the NCHW output gradient to the gradient GEMMs'
// (position, channel) operand.
__kernel void transpose(__global const float* source, const int sourceOffset, __global float* destination,
                        const int destinationOffset, const int rows, const int columns)
{
    const int column = get_global_id(0);
    const int image = get_global_id(1);
    __global const float* from = source + sourceOffset + image * rows * columns + column;
    __global float* to = destination + destinationOffset + (image * columns + column) * rows;
    for (int row = 0; row < rows; ++row) to[row] = from[row * columns];
}
