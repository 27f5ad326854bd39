// The per-step arithmetic of the small-batch path on one block of 16 hidden units: the recurrent matrix-vector
// products over pre-packed weights, then each cell's gate math and state update. Compiled once per instruction set
// (step_kernels_avx512.cpp, step_kernels_avx2.cpp, step_kernels_generic.cpp, from the same source in
// step_kernels_impl.hpp); kernels_for_cpu() picks the widest one this CPU runs.
#pragma once

#include <cstdint>

namespace rnnshim::small_batch {

// Hidden units are handled in blocks of this many; packed weights and internal state rows are padded to a multiple.
constexpr int64_t block = 16;

// One row of the batch as one direction's step sees it.
struct row_step {
    const float *h_prev;  // the row's previous h, k_len wide (the recurrent product's input)
    const float *gx;      // the row's input projection at this step: gates x (padded hidden) floats, bias not included
    float *c;             // LSTM: the row's cell state for this block (16 floats, updated in place); else unused
    const float *h_own;   // GRU: the row's previous h at this block's units (16 floats)
    float *out;           // the row's new h (or, with a projection, o * tanh(c)) for this block: 16 floats
    const uint32_t *h_pairs; // bf16 pair kernels: h_prev as bfloat16 pairs (k_len rounded up to even, zero-padded)
    // int8 kernels: h_prev quantized to u8, four k to a word (k_len rounded up to a multiple of 4; the padding meets
    // zero weights), and the input projection as exact s32 sums of u8 input times s8 weights, in place of gx.
    const uint32_t *h_quads;
    const int32_t *gx_q;
};

struct block_step {
    const void *w;        // packed recurrent weights of this block: [k_len][gates][16], float or bf16
    int64_t k_len;        // the recurrent product's length (the state width)
    int64_t gate_stride;  // distance between gates in gx and bias (the padded hidden size)
    const float *bias;    // the block's input-side bias at gate 0 (gate g at bias + g * gate_stride)
    const float *bias_hn; // GRU: b_hn at this block's units
    // int8: the block's dequantizing factor at gate 0 (gate g at deq + g * gate_stride), 1 / (data scale x the
    // channel's weight scale); bias then holds the bias less the data shift's share of the s32 sum (packed_weights.hpp).
    const float *deq;
    const row_step *rows;
    int64_t row_count;
};

// Projection: out[j] = sum_k w[k][j] * in[k] for the 16 outputs of one block, for each row.
struct projection_step {
    const void *w;        // [k_len][16], float or bf16
    int64_t k_len;
    const float *const *in;
    float *const *out;
    int64_t row_count;
};

// A block's input projection for several rows: out[n][g * gate_stride + j] = sum over k of w[k][g][j] * x[n][k], w
// packed as the block's W_hh.
template <class X, class Sum> struct input_step_of {
    const void *w;
    int64_t k_len;
    int64_t gate_stride;
    const X *const *x;
    Sum *const *out;
    int64_t row_count;
};
// f32 weights [k][gate][16], f32 rows.
using input_step = input_step_of<float, float>;
// bf16 pair kernels: weights [k/2][gate][16][2] bfloat16, rows as bfloat16 pairs, f32 sums.
using input_pairs_step = input_step_of<uint32_t, float>;
// int8: s8 weights [k/4][gate][16][4], rows in u8 four to a word, exact s32 sums.
using int8_input_step = input_step_of<uint32_t, int32_t>;

struct cell_kernels {
    void (*lstm)(const block_step &);
    void (*gru)(const block_step &);
    void (*rnn_tanh)(const block_step &);
    void (*rnn_relu)(const block_step &);
    void (*projection)(const projection_step &);
};

struct step_kernels {
    const char *isa;
    cell_kernels f32;  // weights stored as float
    // Weights stored as bfloat16 (a float's upper 16 bits). Without bf16_pairs: packed as the float weights and
    // widened to float as they are read. With bf16_pairs (AVX512_BF16): packed [k/2][gate][16][2], each pair of k
    // multiplied with h_prev's pair, also in bfloat16, summing in f32 (row_step::h_pairs, made by to_pairs); no
    // projection kernel (a bf16 model has no projection).
    cell_kernels bf16;
    bool bf16_pairs = false;
    // h as bfloat16 pairs for the pair kernels: out[i] = bf16(h[2i]) | bf16(h[2i+1]) << 16, h[k_len] read as 0.
    void (*to_pairs)(const float *h, int64_t k_len, uint32_t *out) = nullptr;
    // With bf16_pairs, the input projection of a block of an LSTM, a GRU or a plain RNN in pairs.
    void (*input_pairs_lstm)(const input_pairs_step &) = nullptr;
    void (*input_pairs_gru)(const input_pairs_step &) = nullptr;
    void (*input_pairs_rnn)(const input_pairs_step &) = nullptr;
    // The input projection of a block of an LSTM (4 gates), a GRU (3) or a plain RNN (1), f32 weights.
    void (*input_lstm)(const input_step &) = nullptr;
    void (*input_gru)(const input_step &) = nullptr;
    void (*input_rnn)(const input_step &) = nullptr;
    // int8 LSTM (the only int8 cell): s8 weights packed [k/4][gate][16][4] times h_quads, summed exactly in s32; the
    // s32 sums do not depend on the kernel, only the speed does (VNNI's vpdpbusd where the CPU has it).
    void (*int8_lstm)(const block_step &) = nullptr;
    void (*int8_lstm_input)(const int8_input_step &) = nullptr;
    const char *int8_isa = nullptr;
};

const step_kernels &kernels_avx512_bf16();
const step_kernels &kernels_avx512();
const step_kernels &kernels_avx2();
const step_kernels &kernels_generic();
// The int8 LSTM kernel on AVX512_VNNI; kernels_for_cpu() puts it into whichever set it picks when the CPU has VNNI.
void int8_lstm_vnni(const block_step &);
void int8_lstm_input_vnni(const int8_input_step &);
// The widest set this CPU can run; chosen once.
const step_kernels &kernels_for_cpu();

} // namespace rnnshim::small_batch
