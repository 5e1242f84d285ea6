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
// Small stride-1 convolutions skip the lowering: conv_direct computes the NCHW output straight
// from the input (zero-padded first by pad_planes when the convolution pads), see below.
//
// im2col:        global size (images * C * KH * KW), one tap's column for one image each.
// im2col_packed: global size (images * C * KH * KW), one tap's packed positions for one image each.
// col2im:     global size (H, images * C), one input-gradient row each.
// transpose:  global size (columns, images), one column of one image's matrix each.
// pad_planes:  global size (H + 2 * padH, images * C), one padded input row each.
// conv_direct: global size (ceil(OH * OW / (8 * DIRECT_CHUNKS)), groups * ceil(O / groups / DIRECT_CHANNELS),
//              images), DIRECT_CHUNKS vectors of 8 output positions for DIRECT_CHANNELS channels each.

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

// Copies `images` images of C planes H x W, the first at input + inputOffset, into planes of
// (H + 2 * padH) x (W + 2 * padW) with zeros around them: conv_direct's input when the
// convolution pads. Each work-item writes one padded row.
__kernel void pad_planes(const Geometry g, const int images, __global const float* input, const int inputOffset,
                         __global float* padded)
{
    const int row = get_global_id(0);
    const int plane = get_global_id(1);
    const int height = g.H + 2 * g.padH, width = g.W + 2 * g.padW;
    if (row >= height || plane >= images * g.C) return;
    __global float* to = padded + ((size_t)plane * height + row) * width;
    const int ih = row - g.padH;
    if (ih < 0 || ih >= g.H) {
        for (int x = 0; x < width; ++x) to[x] = 0.0f;
        return;
    }
    __global const float* from = input + inputOffset + ((size_t)plane * g.H + ih) * g.W;
    for (int x = 0; x < g.padW; ++x) to[x] = 0.0f;
    for (int x = 0; x < g.W; ++x) to[g.padW + x] = from[x];
    for (int x = g.padW + g.W; x < width; ++x) to[x] = 0.0f;
}

// The direct forward convolution for stride 1 without padding (the host pads with pad_planes
// first), any dilation and groups: a GEMM of the filter with an implicit column matrix, computed
// straight from the input. Each vector holds 8 consecutive output positions p = oh * OW + ow of
// one plane, so it is stored with one vstore8. For a tap (c, kh, kw) its inputs are
// input[c][oh + kh * dilationH][ow + kw * dilationW]: 8 consecutive floats while the positions
// stay in one output row, and two runs when they cross into the next row, whose inputs lie
// W - OW floats further on. Since OW >= 8 (the host checks) a vector crosses at most one row end,
// so its inputs are two vload8 blended by a lane mask computed once per vector (the same load
// twice when it stays in one row). Every lane of both loads lies inside the plane. The last
// vector of a plane starts at OH * OW - 8 instead, recomputing positions another vector also
// stores (the same values, summed in the same order).
//
// Each work-item keeps a register tile of DIRECT_CHUNKS x DIRECT_CHANNELS float8 accumulators:
// DIRECT_CHUNKS vectors of positions for DIRECT_CHANNELS output channels of one group, fed per
// tap by DIRECT_CHUNKS vector loads and DIRECT_CHANNELS broadcast filter weights (the shape of
// gemm.cl's tile). Channels past the group's last reread its last filter row and are not stored.
#ifndef DIRECT_CHANNELS
#define DIRECT_CHANNELS 6
#endif
#ifndef DIRECT_CHUNKS
#define DIRECT_CHUNKS 2
#endif
__kernel void conv_direct(const Geometry g, const int groups, const int outputs, const int images,
                          __global const float* input, const int inputOffset,
                          __global const float* filter, __global float* output, const int outputOffset)
{
    const int plane = g.OH * g.OW;
    const int first = get_global_id(0) * 8 * DIRECT_CHUNKS;
    const int groupOutputs = outputs / groups;
    const int blocks = (groupOutputs + DIRECT_CHANNELS - 1) / DIRECT_CHANNELS;
    const int group = get_global_id(1) / blocks;
    const int image = get_global_id(2);
    if (first >= plane || group >= groups || image >= images) return;
    const int o0 = group * groupOutputs + get_global_id(1) % blocks * DIRECT_CHANNELS;
    const int channels = min(DIRECT_CHANNELS, (group + 1) * groupOutputs - o0);
    const int groupInputs = g.C / groups;
    __global const float* weights[DIRECT_CHANNELS];
    #pragma unroll
    for (int j = 0; j < DIRECT_CHANNELS; ++j) weights[j] = filter + (o0 + min(j, channels - 1)) * groupInputs * g.KH * g.KW;
    __global const float* source = input + inputOffset + (image * g.C + group * groupInputs) * g.H * g.W;
    // Per vector: its first position, the input of its first lane, where the lanes in the next
    // output row would start if the row continued (the first input again when the vector stays
    // in one row, so that load stays inside the plane too), and which lanes those are.
    int start[DIRECT_CHUNKS], from[DIRECT_CHUNKS], next[DIRECT_CHUNKS];
    int8 wrapped[DIRECT_CHUNKS];
    #pragma unroll
    for (int i = 0; i < DIRECT_CHUNKS; ++i) {
        start[i] = min(first + 8 * i, plane - 8);
        const int ow = start[i] % g.OW;
        from[i] = start[i] / g.OW * g.W + ow;
        next[i] = ow + 8 > g.OW ? from[i] + g.W - g.OW : from[i];
        wrapped[i] = (int8)(0, 1, 2, 3, 4, 5, 6, 7) >= (int8)(g.OW - ow);
    }
    float8 acc[DIRECT_CHUNKS][DIRECT_CHANNELS];
    #pragma unroll
    for (int i = 0; i < DIRECT_CHUNKS; ++i) {
        #pragma unroll
        for (int j = 0; j < DIRECT_CHANNELS; ++j) acc[i][j] = (float8)(0.0f);
    }
    int tap = 0;
    for (int c = 0; c < groupInputs; ++c) {
        for (int kh = 0; kh < g.KH; ++kh) {
            __global const float* row = source + (c * g.H + kh * g.dilationH) * g.W;
            for (int kw = 0; kw < g.KW; ++kw, ++tap) {
                __global const float* at = row + kw * g.dilationW;
                float8 x[DIRECT_CHUNKS];
                #pragma unroll
                for (int i = 0; i < DIRECT_CHUNKS; ++i)
                    x[i] = select(vload8(0, at + from[i]), vload8(0, at + next[i]), wrapped[i]);
                #pragma unroll
                for (int j = 0; j < DIRECT_CHANNELS; ++j) {
                    const float8 w = (float8)(weights[j][tap]);
                    #pragma unroll
                    for (int i = 0; i < DIRECT_CHUNKS; ++i) acc[i][j] = fma(w, x[i], acc[i][j]);
                }
            }
        }
    }
    __global float* target = output + outputOffset + (image * outputs + o0) * plane;
    #pragma unroll
    for (int j = 0; j < DIRECT_CHANNELS; ++j) {
        #pragma unroll
        for (int i = 0; i < DIRECT_CHUNKS; ++i)
            if (j < channels) vstore8(acc[i][j], 0, target + j * plane + start[i]);
    }
}
