// Element-wise kernels: strided copies (gathers), unary functions and broadcasting binary operations.
//
// Every work-item handles 8 consecutive output elements as one float8: a vector load where an
// operand is contiguous, a splat where it is broadcast (stride 0), a gather otherwise.
//
// copy and binary_* iterate over a shape of MAX_RANK axes (a build option), outermost first, whose
// unused leading axes have extent 1; the host drops size-1 axes and merges neighbouring ones first,
// so most views arrive with one or two axes. Global size: (ceil(innermost extent / 8), rows = the
// product of the other extents); work-item (g, row) writes elements row * innermost + 8g + [0, 8)
// of the contiguous output (after outputOffset).
//
// unary_*: a contiguous buffer of `count` elements (output may be input); the parameters a and b
// are the operation's (slope, alpha, bounds, ...). Global size: ceil(count / 8).
//
// NaN: maximum, minimum, relu, clamp and sign propagate it; step, greater and equal give 0.

#ifndef MAX_RANK
#define MAX_RANK 6
#endif
#define INNER (MAX_RANK - 1)
#define ZERO ((float8)(0.0f))
#define ONE ((float8)(1.0f))

typedef struct { int extent[MAX_RANK]; } Extents;
typedef struct { int stride[MAX_RANK]; } Strides;

// The offset through `strides` of the first element of `row`, the row-major index of the outer axes.
int row_offset(const Extents shape, const Strides strides, int row)
{
    int offset = 0;
    for (int axis = INNER - 1; row != 0; --axis) {
        offset += row % shape.extent[axis] * strides.stride[axis];
        row /= shape.extent[axis];
    }
    return offset;
}

// The `valid` (at most 8) elements p[0], p[step], ... in the first lanes, zero in the others.
float8 load8_strided(__global const float* p, const int step, const int valid)
{
    if (step == 0) return (float8)(*p);
    if (step == 1 && valid == 8) return vload8(0, p);
    float lanes[8];
    for (int k = 0; k < 8; ++k) lanes[k] = k < valid ? p[k * step] : 0.0f;
    return vload8(0, lanes);
}

// Declares `first` (the element in the row), `valid` (elements of this work-item) and `output`
// (where they go) for work-item (g, row), or returns when it is past the end.
#define STRIDED_ITEM                                                                                       \
    const int inner = shape.extent[INNER];                                                                \
    const int first = get_global_id(0) * 8;                                                               \
    const int row = get_global_id(1);                                                                     \
    if (first >= inner || row >= rows) return;                                                            \
    const int valid = min(8, inner - first);                                                              \
    output += outputOffset + row * inner + first;

// The float8 of an operand's elements for this work-item.
#define OPERAND(p, offset, strides) \
    load8_strided((p) + (offset) + row_offset(shape, strides, row) + first * strides.stride[INNER], strides.stride[INNER], valid)

__kernel void copy(const Extents shape, const int rows,
                   __global const float* source, const int sourceOffset, const Strides strides,
                   __global float* output, const int outputOffset)
{
    STRIDED_ITEM
    store8(OPERAND(source, sourceOffset, strides), output, valid);
}

#define BINARY(name, expression)                                                                           \
__kernel void binary_##name(const Extents shape, const int rows,                                         \
                            __global const float* lhs, const int lhsOffset, const Strides lhsStrides,   \
                            __global const float* rhs, const int rhsOffset, const Strides rhsStrides,   \
                            __global float* output, const int outputOffset)                              \
{                                                                                                          \
    STRIDED_ITEM                                                                                           \
    const float8 a = OPERAND(lhs, lhsOffset, lhsStrides);                                                 \
    const float8 b = OPERAND(rhs, rhsOffset, rhsStrides);                                                 \
    store8((expression), output, valid);                                                                  \
}

BINARY(add, a + b)
BINARY(subtract, a - b)
BINARY(multiply, a * b)
BINARY(divide, a / b)
BINARY(maximum, select(b, a, a > b || isnan(a)))
BINARY(minimum, select(b, a, a < b || isnan(a)))
BINARY(greater, select(ZERO, ONE, a > b))
BINARY(equal, select(ZERO, ONE, a == b))

// 1 / (1 + e^-x), as e^x / (1 + e^x) for negative x so that nothing overflows.
float8 sigmoid(const float8 x)
{
    const float8 e = exp(-fabs(x));
    return select(e, ONE, x >= 0.0f) / (1.0f + e);
}

// min(max(x, lower), upper), keeping NaN (fmin and fmax would drop it).
float8 clamp_keeping_nan(const float8 x, const float lower, const float upper)
{
    const float8 raised = select(x, (float8)(lower), x < lower);
    return select(raised, (float8)(upper), raised > upper);
}

#define UNARY(name, expression)                                                                            \
__kernel void unary_##name(__global const float* input, __global float* output, const int count,         \
                           const float a, const float b)                                                   \
{                                                                                                          \
    const int first = get_global_id(0) * 8;                                                               \
    if (first >= count) return;                                                                           \
    const int valid = min(8, count - first);                                                              \
    const float8 x = load8(input + first, valid, 0.0f);                                                   \
    store8((expression), output + first, valid);                                                          \
}

UNARY(identity, x)
UNARY(negate, -x)
UNARY(abs, fabs(x))
UNARY(sign, select(select(select(ZERO, -ONE, x < 0.0f), ONE, x > 0.0f), x, isnan(x)))
UNARY(step, select(ZERO, ONE, x > 0.0f))
UNARY(exp, exp(x))
UNARY(log, log(x))
UNARY(sqrt, sqrt(x))
UNARY(reciprocal, 1.0f / x)
UNARY(square, x * x)
UNARY(sigmoid, sigmoid(x))
UNARY(tanh, tanh(x))
UNARY(relu, select(x, ZERO, x <= 0.0f))
UNARY(leaky_relu, select(a * x, x, x > 0.0f))
UNARY(elu, select(a * expm1(x), x, x > 0.0f))
UNARY(selu, a * select(b * expm1(x), x, x > 0.0f))
UNARY(softplus, fmax(x, 0.0f) + log1p(exp(-fabs(x))))
UNARY(clamp, clamp_keeping_nan(x, a, b))
UNARY(affine, a * x + b)
