// The small-batch step kernels for CPUs with AVX512_BF16: the f32 set as step_kernels_avx512.cpp, and a bf16 set that
// multiplies bfloat16 weights with h rounded to bfloat16 two k at a time (vdpbf16ps, f32 sums), half the bytes and
// half the instructions of widening each weight to float. Compile flags in native/CMakeLists.txt.
#include "step_kernels_impl.hpp"

#include <immintrin.h>

namespace rnnshim::small_batch {
namespace {

// acc[n][g] = sum over k of w[k][g][0..16) * h[n][k], k taken in pairs: w is [k/2][g][16][2] bfloat16, hp[n] the row's
// h as bfloat16 pairs. The sums run over the pairs in order, so a unit's result does not depend on the thread.
template <int G, int NR>
inline void matvec_pairs(const uint16_t *__restrict w, int64_t pairs, const uint32_t *const *hp, v16 (&acc)[NR][G]) {
    __m512 sum[NR][G];
#pragma GCC unroll 16
    for (int n = 0; n < NR; ++n)
#pragma GCC unroll 4
        for (int g = 0; g < G; ++g) sum[n][g] = _mm512_setzero_ps();
    for (int64_t k = 0; k < pairs; ++k) {
        const uint16_t *wk = w + k * G * 2 * block;
        __m512bh wv[G];
#pragma GCC unroll 4
        for (int g = 0; g < G; ++g) wv[g] = (__m512bh)_mm512_load_si512(wk + g * 2 * block);
#pragma GCC unroll 16
        for (int n = 0; n < NR; ++n) {
            const __m512bh hv = (__m512bh)_mm512_set1_epi32(int(hp[n][k]));
#pragma GCC unroll 4
            for (int g = 0; g < G; ++g) sum[n][g] = _mm512_dpbf16_ps(sum[n][g], wv[g], hv);
        }
    }
#pragma GCC unroll 16
    for (int n = 0; n < NR; ++n)
#pragma GCC unroll 4
        for (int g = 0; g < G; ++g) std::memcpy(&acc[n][g], &sum[n][g], sizeof(v16));
}

template <class Gate, int NR>
void pair_tile(const block_step &s, int64_t first) {
    constexpr int G = Gate::gates;
    const uint32_t *h[NR];
    for (int n = 0; n < NR; ++n) h[n] = s.rows[first + n].h_pairs;
    v16 acc[NR][G];
    matvec_pairs<G, NR>(static_cast<const uint16_t *>(s.w), (s.k_len + 1) / 2, h, acc);
    for (int n = 0; n < NR; ++n) Gate::apply(s, s.rows[first + n], acc[n]);
}

template <class Gate>
void pair_block(const block_step &s) {
    in_row_tiles(s.row_count, [&]<int NR>(int64_t first) { pair_tile<Gate, NR>(s, first); });
}

template <int G>
void input_pairs_block(const input_pairs_step &s) {
    in_row_tiles(s.row_count, [&]<int NR>(int64_t first) {
        v16 acc[NR][G];
        matvec_pairs<G, NR>(static_cast<const uint16_t *>(s.w), (s.k_len + 1) / 2, s.x + first, acc);
        for (int n = 0; n < NR; ++n)
            for (int g = 0; g < G; ++g) store(s.out[first + n] + g * s.gate_stride, acc[n][g]);
    });
}

void to_pairs(const float *h, int64_t k_len, uint32_t *out) {
    int64_t k = 0;
    for (; k + 32 <= k_len; k += 32) {
        // cvtne2ps_pbh(a, b): b's 16 values in the low half, a's in the high half, each rounded to nearest even.
        const __m512bh v = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(h + k + 16), _mm512_loadu_ps(h + k));
        _mm512_storeu_si512(out + k / 2, (__m512i)v);
    }
    for (; k < k_len; k += 2) {
        const float lo = h[k], hi = k + 1 < k_len ? h[k + 1] : 0.0f;
        const __m128bh v = _mm_cvtneps_pbh(_mm_setr_ps(lo, hi, 0.0f, 0.0f));
        uint32_t pair;
        std::memcpy(&pair, &v, sizeof pair);
        out[k / 2] = pair;
    }
}

} // namespace

const step_kernels &kernels_avx512_bf16() {
    static const step_kernels k = [] {
        step_kernels set = make_kernels("avx512_bf16");
        set.bf16 = {pair_block<lstm_gate>, pair_block<gru_gate>, pair_block<tanh_gate>, pair_block<relu_gate>, nullptr};
        set.bf16_pairs = true;
        set.to_pairs = to_pairs;
        set.input_pairs_lstm = input_pairs_block<4>;
        set.input_pairs_gru = input_pairs_block<3>;
        set.input_pairs_rnn = input_pairs_block<1>;
        return set;
    }();
    return k;
}

} // namespace rnnshim::small_batch
