// Random fills: element i is the distribution's value at counter offset + i of Philox4x32-10 keyed
// by the seed, bit for bit as KeelCore's Philox4x32.sample (the uniform and Bernoulli values exactly;
// the normal values up to the accuracy of log, sqrt and cos).
//
// Global size: ceil(count / 8); work-item w writes output[8w ..< 8w + 8], one lane per element.

// Each operation rounds as written, like the Swift reference (no fused multiply-adds).
#pragma OPENCL FP_CONTRACT OFF

// 2 * Float.pi: Swift rounds pi toward zero (0x40490FDA), one ulp below M_PI_F.
#define TWO_PI 0x1.921fb4p+2f

// Words 0 and 1 of Philox4x32-10 for the counters (index + lane, 0) of the 8 lanes under the key
// (low, high word of seed).
void philox8(const ulong seed, const ulong index, uint8* word0, uint8* word1)
{
    // The 64-bit counters index + lane as (low, high) words, carrying when the low word wraps.
    const uint low = (uint)index;
    uint8 c0 = low + (uint8)(0, 1, 2, 3, 4, 5, 6, 7);
    uint8 c1 = (uint8)((uint)(index >> 32)) + select((uint8)(0), (uint8)(1), c0 < (uint8)(low));
    uint8 c2 = 0, c3 = 0;
    uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
    #pragma unroll
    for (int round = 0; round < 10; ++round) {
        // The high and low words of the 32 x 32 → 64-bit products (32-bit vectors throughout).
        const uint8 high0 = mul_hi(c0, (uint8)(0xD2511F53u)), low0 = c0 * 0xD2511F53u;
        const uint8 high1 = mul_hi(c2, (uint8)(0xCD9E8D57u)), low1 = c2 * 0xCD9E8D57u;
        c0 = high1 ^ c1 ^ k0;
        c1 = low1;
        c2 = high0 ^ c3 ^ k1;
        c3 = low0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    *word0 = c0;
    *word1 = c1;
}

// Uniform floats in [0, 1) from the top 24 bits of each word (exact).
float8 unit_float(const uint8 words)
{
    return convert_float8(words >> 8) * 0x1p-24f;
}

// Declares `first` and `valid` (this work-item's elements) and the words `word0` and `word1` of
// their counters, or returns past the end.
#define BEGIN_FILL                                                                                          \
    const int first = get_global_id(0) * 8;                                                               \
    if (first >= count) return;                                                                           \
    const int valid = min(8, count - first);                                                              \
    uint8 word0, word1;                                                                                    \
    philox8(seed, offset + first, &word0, &word1);

// low + (high - low) * u0
__kernel void random_uniform(__global float* output, const int count, const ulong seed, const ulong offset,
                             const float low, const float high)
{
    BEGIN_FILL
    store8(low + (high - low) * unit_float(word0), output + first, valid);
}

// Box-Muller: mean + deviation * sqrt(-2 ln(1 - u0)) * cos(2 pi u1)
__kernel void random_normal(__global float* output, const int count, const ulong seed, const ulong offset,
                            const float mean, const float deviation)
{
    BEGIN_FILL
    const float8 radius = sqrt(-2.0f * log(1.0f - unit_float(word0)));
    store8(mean + deviation * radius * cos(TWO_PI * unit_float(word1)), output + first, valid);
}

// 1 when u0 < probability, else 0
__kernel void random_bernoulli(__global float* output, const int count, const ulong seed, const ulong offset,
                               const float probability)
{
    BEGIN_FILL
    store8(select((float8)(0.0f), (float8)(1.0f), unit_float(word0) < probability), output + first, valid);
}
