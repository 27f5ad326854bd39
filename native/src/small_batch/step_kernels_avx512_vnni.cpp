// The int8 LSTM step kernel for CPUs with AVX512_VNNI: vpdpbusd multiplies four u8 h values with four s8 weights of
// each of 16 units and adds the four products to an s32 sum in one instruction, reading a quarter of f32's weight
// bytes. Compile flags in native/CMakeLists.txt.
#include "step_kernels_impl.hpp"

#include <immintrin.h>

namespace rnnshim::small_batch {
namespace {

// As matvec_quads (step_kernels_impl.hpp): the same exact s32 sums, four k per instruction.
template <int G, int NR>
inline void matvec_quads_vnni(const int8_t *__restrict w, int64_t quads, const uint32_t *const *hq, v16i (&acc)[NR][G]) {
    __m512i sum[NR][G];
#pragma GCC unroll 16
    for (int n = 0; n < NR; ++n)
#pragma GCC unroll 4
        for (int g = 0; g < G; ++g) sum[n][g] = _mm512_setzero_si512();
    for (int64_t k = 0; k < quads; ++k) {
        const int8_t *wk = w + k * G * 4 * block;
        __m512i wv[G];
#pragma GCC unroll 4
        for (int g = 0; g < G; ++g) wv[g] = _mm512_load_si512(wk + g * 4 * block);
#pragma GCC unroll 16
        for (int n = 0; n < NR; ++n) {
            // vpdpbusd's first source is unsigned: h's four u8 broadcast to every unit, the weights signed.
            const __m512i hv = _mm512_set1_epi32(int(hq[n][k]));
#pragma GCC unroll 4
            for (int g = 0; g < G; ++g) sum[n][g] = _mm512_dpbusd_epi32(sum[n][g], hv, wv[g]);
        }
    }
#pragma GCC unroll 16
    for (int n = 0; n < NR; ++n)
#pragma GCC unroll 4
        for (int g = 0; g < G; ++g) std::memcpy(&acc[n][g], &sum[n][g], sizeof(v16i));
}

} // namespace

void int8_lstm_vnni(const block_step &s) {
    in_row_tiles(s.row_count, [&]<int NR>(int64_t first) { int8_lstm_tile<NR>(s, first, matvec_quads_vnni<4, NR>); });
}

void int8_lstm_input_vnni(const int8_input_step &s) {
    in_row_tiles(s.row_count, [&]<int NR>(int64_t first) { int8_input_tile<NR>(s, first, matvec_quads_vnni<4, NR>); });
}

} // namespace rnnshim::small_batch
