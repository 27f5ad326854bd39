// One version of a model's weights in the layouts the small-batch path streams, made once per executor (and again by
// update_weights): for each layer, the input and the recurrent weights cut into blocks of 16 hidden units with every
// gate's rows of a block side by side ([k][gate][16], so a thread that owns a block reads one contiguous slice for the
// input projection and each step), the biases folded as each cell needs them, and an LSTM
// projection's W_hr in blocks of 16 outputs. Hidden units are padded to a multiple of 16 with zero weights and bias;
// a padded unit's state stays 0 and is never read. Immutable once built.
//
// A bf16 model keeps its recurrent weights (W_hh, W_hr) as bfloat16, half the bytes a step streams, and its input
// weights as floats rounded to bfloat16 values; biases, states and every sum stay f32. For the pair kernels
// (step_kernels::bf16_pairs) W_hh and W_ih are packed [k/2][gate][16][2] instead, k padded to even with zero weights,
// and the input is rounded to bfloat16 pairs too.
//
// An int8 LSTM quantizes as the int8 executor does (quantization.hpp): s8 weights with one scale per gate and unit,
// shared by W_ih and W_hh, both packed [k/4][gate][16][4] (k padded to a multiple of 4 with zero weights). A gate's input is then deq * S + bias', S the exact s32 sum over the u8 input and
// h, deq = 1 / (data scale x weight scale), and bias' the bias less deq x data shift x the channel's sum of s8
// weights (the shift's share of S, since u8 = x * scale + shift).
#pragma once

#include "../model.hpp"
#include "../quantization.hpp"
#include "../sequence_io.hpp"
#include "step_kernels.hpp"

#include <vector>

namespace rnnshim::small_batch {

struct packed_layer {
    int64_t input_size;    // K of the input projection: the model's input size, or directions x state size above layer 0
    aligned_buffer w_ih;   // [directions][hidden blocks][input_size][gates][16], packed as w_hh: float, bf16 pairs
                           // with the pair kernels, s8 quads in int8
    int64_t ih_block_bytes = 0; // bytes of one (direction, block) slice of w_ih
    aligned_buffer w_hh;   // [directions][hidden blocks][state_size][gates][16], float or bf16 (or packed, above)
    aligned_buffer bias;   // [directions][gates][padded_hidden]: b_ih + b_hh (GRU's n gate: b_in alone; int8: bias')
    aligned_buffer deq;    // int8: [directions][gates][padded_hidden], the dequantizing factor
    aligned_buffer bias_hn;// GRU: [directions][padded_hidden], b_hn, applied inside r * (W_hn h + b_hn)
    aligned_buffer w_hr;   // projection: [directions][projection blocks][hidden_size][16], float or bf16
};

class packed_weights {
public:
    // pairs: pack a bf16 model's W_hh for the pair kernels. int8: an LSTM's per-layer data quantization, to quantize
    // its weights (an f32 model otherwise; empty for f32 and bf16).
    packed_weights(const model_shape &m, const float *params, bool pairs, const std::vector<int8_data_qparams> &int8 = {});

    const packed_layer &layer(int64_t l) const { return layers_[size_t(l)]; }
    int64_t padded_hidden() const { return padded_hidden_; }
    int64_t padded_state() const { return padded_state_; }
    // Whether w_hh and w_hr hold bfloat16.
    bool bf16() const { return bf16_; }
    // Whether the weights are s8 (an int8 LSTM), and a layer's data quantization then.
    bool int8() const { return !int8_.empty(); }
    const int8_data_qparams &data_q(int64_t l) const { return int8_[size_t(l)]; }
    // Bytes of one (direction, block) slice of w_hh, and of one (direction, projection block) slice of w_hr.
    int64_t hh_block_bytes() const { return hh_block_bytes_; }
    int64_t hr_block_bytes() const { return hr_block_bytes_; }

private:
    // Replaces layer l's float w_ih and w_hh (packed as above) with their s8 forms and fills deq and bias'.
    void quantize_layer(const model_shape &m, const float *params, int64_t l);

    std::vector<packed_layer> layers_;
    int64_t padded_hidden_, padded_state_;
    bool bf16_;
    std::vector<int8_data_qparams> int8_;
    int64_t hh_block_bytes_ = 0, hr_block_bytes_ = 0;
};

inline int64_t round_up(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

} // namespace rnnshim::small_batch
