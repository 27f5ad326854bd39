// The body of every step_kernels set, written once over 16-lane GCC vector types: each including file compiles it with
// its own instruction-set flags (a 16-float vector is one AVX-512 register, two AVX2 registers, four SSE ones).
// Include it only from a step_kernels_*.cpp, and nothing else there that could emit a shared inline function built
// with wider instructions than another file's. Everything here has internal linkage.
#pragma once

#include "step_kernels.hpp"

#include <cstdint>
#include <cstring>

namespace rnnshim::small_batch {
namespace {

typedef float v16 __attribute__((vector_size(64)));
typedef int32_t v16i __attribute__((vector_size(64)));

inline v16 splat(float a) { return v16{} + a; }
inline v16 load(const float *p) {
    v16 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store(float *p, v16 v) { std::memcpy(p, &v, sizeof v); }

// 16 weights as floats: stored as float, or as bfloat16, whose bits are a float's upper half.
typedef uint16_t v16bf __attribute__((vector_size(32)));
inline v16 load_weights(const float *p) { return load(static_cast<const float *>(__builtin_assume_aligned(p, 64))); }
inline v16 load_weights(const uint16_t *p) {
    v16bf half;
    std::memcpy(&half, __builtin_assume_aligned(p, 32), sizeof half);
    const v16i bits = __builtin_convertvector(half, v16i) << 16;
    v16 v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
}

// e^x for x in float range to about 2 ulp (Cephes' expf: 2^n times a degree-6 polynomial on [-ln2/2, ln2/2]).
inline v16 vexp(v16 x) {
    const v16 hi = splat(88.3762626647949f), lo = splat(-88.3762626647949f);
    x = x < hi ? x : hi;
    x = x > lo ? x : lo;
    v16 fx = x * 1.44269504088896341f + 0.5f;
    v16 t = __builtin_convertvector(__builtin_convertvector(fx, v16i), v16);
    t = t > fx ? t - 1.0f : t; // floor
    const v16i n = __builtin_convertvector(t, v16i);
    x = x - t * 0.693359375f;
    x = x - t * -2.12194440e-4f;
    v16 y = splat(1.9875691500e-4f);
    y = y * x + 1.3981999507e-3f;
    y = y * x + 8.3334519073e-3f;
    y = y * x + 4.1665795894e-2f;
    y = y * x + 1.6666665459e-1f;
    y = y * x + 5.0000001201e-1f;
    y = y * (x * x) + x + 1.0f;
    const v16i bits = (n + 127) << 23;
    v16 scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return y * scale;
}

inline v16 vsigmoid(v16 x) { return 1.0f / (1.0f + vexp(-x)); }
// 2 sigmoid(2x) - 1: absolute error about 1e-7 near 0, and exactly +-1 in saturation.
inline v16 vtanh(v16 x) { return 2.0f / (1.0f + vexp(-2.0f * x)) - 1.0f; }

// acc[n][g] = sum over k of w[k][g][0..16) * h[n][k]. w is 64-byte aligned (float) or 32 (bf16). An FMA waits for the
// one before it on the same accumulator, so with fewer than 8 accumulators (one row of an LSTM has 4, a GRU 3, a plain
// RNN 1) the k loop keeps U partial sums, k taken U at a time, added up in a fixed order at the end: a unit's result
// still does not depend on which thread computes it or how many rows share the tile.
template <class W, int G, int NR>
inline void matvec(const W *__restrict w, int64_t k_len, const float *const *h, v16 (&acc)[NR][G]) {
    constexpr int U = NR * G >= 8 ? 1 : NR * G >= 4 ? 2 : 8 / (NR * G) >= 4 ? 4 : 2;
    v16 part[U][NR][G];
#pragma GCC unroll 8
    for (int u = 0; u < U; ++u)
#pragma GCC unroll 16
        for (int n = 0; n < NR; ++n)
#pragma GCC unroll 4
            for (int g = 0; g < G; ++g) part[u][n][g] = v16{};
    const float *hp[NR];
#pragma GCC unroll 16
    for (int n = 0; n < NR; ++n) hp[n] = h[n];
    int64_t k = 0;
    for (; k + U <= k_len; k += U) {
#pragma GCC unroll 8
        for (int u = 0; u < U; ++u) {
            const W *wk = w + (k + u) * G * block;
            v16 wv[G];
#pragma GCC unroll 4
            for (int g = 0; g < G; ++g) wv[g] = load_weights(wk + g * block);
#pragma GCC unroll 16
            for (int n = 0; n < NR; ++n) {
                const float hv = hp[n][k + u];
#pragma GCC unroll 4
                for (int g = 0; g < G; ++g) part[u][n][g] += wv[g] * hv;
            }
        }
    }
    for (int u = 0; k < k_len; ++k, ++u) {
        const W *wk = w + k * G * block;
#pragma GCC unroll 16
        for (int n = 0; n < NR; ++n)
#pragma GCC unroll 4
            for (int g = 0; g < G; ++g) part[u][n][g] += load_weights(wk + g * block) * hp[n][k];
    }
#pragma GCC unroll 16
    for (int n = 0; n < NR; ++n)
#pragma GCC unroll 4
        for (int g = 0; g < G; ++g) {
            v16 sum = part[0][n][g];
#pragma GCC unroll 8
            for (int u = 1; u < U; ++u) sum += part[u][n][g];
            acc[n][g] = sum;
        }
}

// The gate input: the input projection, its bias and the recurrent product.
inline v16 pre(const block_step &s, const row_step &r, const v16 &acc, int g) {
    return load(r.gx + g * s.gate_stride) + load(s.bias + g * s.gate_stride) + acc;
}

// The LSTM cell from its four gate inputs, in PyTorch's gate order: input, forget, cell, output.
inline void lstm_update(const row_step &r, const v16 &pre_i, const v16 &pre_f, const v16 &pre_g, const v16 &pre_o) {
    const v16 i = vsigmoid(pre_i), f = vsigmoid(pre_f), g = vtanh(pre_g), o = vsigmoid(pre_o);
    const v16 c = f * load(r.c) + i * g;
    store(r.c, c);
    store(r.out, o * vtanh(c));
}

struct lstm_gate {
    static constexpr int gates = 4;
    static void apply(const block_step &s, const row_step &r, const v16 (&acc)[4]) {
        lstm_update(r, pre(s, r, acc[0], 0), pre(s, r, acc[1], 1), pre(s, r, acc[2], 2), pre(s, r, acc[3], 3));
    }
};

inline v16i load_s32(const int32_t *p) {
    v16i v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// int8: a gate's input is the exact s32 sum (input projection plus recurrent product), dequantized, plus the folded
// bias: the order oneDNN's int8 LSTM uses (one s32 accumulator for both products, converted to float once).
inline v16 int8_pre(const block_step &s, const row_step &r, const v16i &acc, int g) {
    const v16i sum = load_s32(r.gx_q + g * s.gate_stride) + acc;
    return __builtin_convertvector(sum, v16) * load(s.deq + g * s.gate_stride) + load(s.bias + g * s.gate_stride);
}

inline void int8_lstm_apply(const block_step &s, const row_step &r, const v16i (&acc)[4]) {
    lstm_update(r, int8_pre(s, r, acc[0], 0), int8_pre(s, r, acc[1], 1), int8_pre(s, r, acc[2], 2), int8_pre(s, r, acc[3], 3));
}

// acc[n][g] = sum over k of w[k][g][0..16) * hq[n][k] in s32, w s8 packed [k/4][g][16][4] and hq u8 four to a word:
// each weight word's four bytes are sign-extended in place by shifts, each h byte widened once. Integer sums are exact,
// so this gives the VNNI kernel's result bit for bit.
template <int G, int NR>
inline void matvec_quads(const int8_t *__restrict w, int64_t quads, const uint32_t *const *hq, v16i (&acc)[NR][G]) {
#pragma GCC unroll 16
    for (int n = 0; n < NR; ++n)
#pragma GCC unroll 4
        for (int g = 0; g < G; ++g) acc[n][g] = v16i{};
    for (int64_t k = 0; k < quads; ++k) {
        const int8_t *wk = w + k * G * 4 * block;
        v16i words[G];
#pragma GCC unroll 4
        for (int g = 0; g < G; ++g) std::memcpy(&words[g], wk + g * 4 * block, sizeof(v16i));
#pragma GCC unroll 4
        for (int q = 0; q < 4; ++q) {
            v16i wq[G];
#pragma GCC unroll 4
            for (int g = 0; g < G; ++g) wq[g] = (words[g] << (24 - 8 * q)) >> 24;
#pragma GCC unroll 16
            for (int n = 0; n < NR; ++n) {
                const int32_t hv = int32_t((hq[n][k] >> (8 * q)) & 0xffu);
#pragma GCC unroll 4
                for (int g = 0; g < G; ++g) acc[n][g] += wq[g] * hv;
            }
        }
    }
}

// Matvec: matvec_quads<4, NR> here, or the VNNI file's, which gives the same sums.
template <int NR, class Matvec>
inline void int8_lstm_tile(const block_step &s, int64_t first, Matvec matvec) {
    const uint32_t *h[NR];
    for (int n = 0; n < NR; ++n) h[n] = s.rows[first + n].h_quads;
    v16i acc[NR][4];
    matvec(static_cast<const int8_t *>(s.w), (s.k_len + 3) / 4, h, acc);
    for (int n = 0; n < NR; ++n) int8_lstm_apply(s, s.rows[first + n], acc[n]);
}

struct gru_gate {
    static constexpr int gates = 3;
    static void apply(const block_step &s, const row_step &r, const v16 (&acc)[3]) {
        // PyTorch: r and z from both sides' sums; n = tanh(W_in x + b_in + r * (W_hn h + b_hn)); h' = (1 - z) n + z h.
        const v16 rg = vsigmoid(pre(s, r, acc[0], 0)), z = vsigmoid(pre(s, r, acc[1], 1));
        const v16 n = vtanh(load(r.gx + 2 * s.gate_stride) + load(s.bias + 2 * s.gate_stride) + rg * (acc[2] + load(s.bias_hn)));
        store(r.out, (1.0f - z) * n + z * load(r.h_own));
    }
};

struct tanh_gate {
    static constexpr int gates = 1;
    static void apply(const block_step &s, const row_step &r, const v16 (&acc)[1]) { store(r.out, vtanh(pre(s, r, acc[0], 0))); }
};

struct relu_gate {
    static constexpr int gates = 1;
    static void apply(const block_step &s, const row_step &r, const v16 (&acc)[1]) {
        const v16 x = pre(s, r, acc[0], 0);
        store(r.out, x > 0.0f ? x : v16{});
    }
};

template <class W, class Gate, int NR>
void cell_tile(const block_step &s, int64_t first) {
    constexpr int G = Gate::gates;
    const float *h[NR];
    for (int n = 0; n < NR; ++n) h[n] = s.rows[first + n].h_prev;
    v16 acc[NR][G];
    matvec<W, G, NR>(static_cast<const W *>(s.w), s.k_len, h, acc);
    for (int n = 0; n < NR; ++n) Gate::apply(s, s.rows[first + n], acc[n]);
}

// Rows go four at a time, so each weight loaded serves four rows; at most 16 accumulators stay in registers. tile is
// called as tile.template operator()<NR>(first row) for each group of NR rows.
template <class Tile> inline void in_row_tiles(int64_t row_count, const Tile &tile) {
    int64_t r = 0;
    for (; r + 4 <= row_count; r += 4) tile.template operator()<4>(r);
    switch (row_count - r) {
        case 3: tile.template operator()<3>(r); break;
        case 2: tile.template operator()<2>(r); break;
        case 1: tile.template operator()<1>(r); break;
        default: break;
    }
}

template <class W, class Gate>
void cell_block(const block_step &s) {
    in_row_tiles(s.row_count, [&]<int NR>(int64_t first) { cell_tile<W, Gate, NR>(s, first); });
}

template <class W, int NR>
void projection_tile(const projection_step &s, int64_t first) {
    v16 acc[NR][1];
    matvec<W, 1, NR>(static_cast<const W *>(s.w), s.k_len, s.in + first, acc);
    for (int n = 0; n < NR; ++n) store(s.out[first + n], acc[n][0]);
}

template <class W>
void projection_block(const projection_step &s) {
    in_row_tiles(s.row_count, [&]<int NR>(int64_t first) { projection_tile<W, NR>(s, first); });
}

template <class W> cell_kernels make_cell_kernels() {
    return {cell_block<W, lstm_gate>, cell_block<W, gru_gate>, cell_block<W, tanh_gate>, cell_block<W, relu_gate>,
            projection_block<W>};
}

template <int G>
inline void input_block(const input_step &s) {
    in_row_tiles(s.row_count, [&]<int NR>(int64_t first) {
        v16 acc[NR][G];
        matvec<float, G, NR>(static_cast<const float *>(s.w), s.k_len, s.x + first, acc);
        for (int n = 0; n < NR; ++n)
            for (int g = 0; g < G; ++g) store(s.out[first + n] + g * s.gate_stride, acc[n][g]);
    });
}

inline void int8_lstm_block(const block_step &s) {
    in_row_tiles(s.row_count, [&]<int NR>(int64_t first) { int8_lstm_tile<NR>(s, first, matvec_quads<4, NR>); });
}

inline void store_s32(int32_t *p, const v16i &v) { std::memcpy(p, &v, sizeof v); }

// The input projection's tile: the same product as the recurrent one, its s32 sums stored for the step to add.
template <int NR, class Matvec>
inline void int8_input_tile(const int8_input_step &s, int64_t first, Matvec matvec) {
    v16i acc[NR][4];
    matvec(static_cast<const int8_t *>(s.w), (s.k_len + 3) / 4, s.x + first, acc);
    for (int n = 0; n < NR; ++n)
        for (int g = 0; g < 4; ++g) store_s32(s.out[first + n] + g * s.gate_stride, acc[n][g]);
}

inline void int8_lstm_input_block(const int8_input_step &s) {
    in_row_tiles(s.row_count, [&]<int NR>(int64_t first) { int8_input_tile<NR>(s, first, matvec_quads<4, NR>); });
}

inline step_kernels make_kernels(const char *isa) {
    step_kernels set{isa, make_cell_kernels<float>(), make_cell_kernels<uint16_t>()};
    set.input_lstm = input_block<4>;
    set.input_gru = input_block<3>;
    set.input_rnn = input_block<1>;
    set.int8_lstm = int8_lstm_block;
    set.int8_lstm_input = int8_lstm_input_block;
    set.int8_isa = isa;
    return set;
}

} // namespace
} // namespace rnnshim::small_batch
