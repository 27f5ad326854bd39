// One version of a model's weights in the layouts the small-batch path streams, made once per executor (and again by
// update_weights): for each layer, the input weights of both directions stacked for one GEMM, the recurrent weights
// cut into blocks of 16 hidden units with every gate's rows of a block side by side ([k][gate][16], so a thread that
// owns a block reads one contiguous slice each step), the biases folded as each cell needs them, and an LSTM
// projection's W_hr in blocks of 16 outputs. Hidden units are padded to a multiple of 16 with zero weights and bias;
// a padded unit's state stays 0 and is never read. Immutable once built.
//
// A bf16 model keeps its recurrent weights (W_hh, W_hr) as bfloat16, half the bytes a step streams, and its input
// weights as floats rounded to bfloat16 values; biases, states and every sum stay f32. For the pair kernels
// (step_kernels::bf16_pairs) W_hh is packed [k/2][gate][16][2] instead, k padded to even with zero weights.
#pragma once

#include "../model.hpp"
#include "../sequence_io.hpp"
#include "step_kernels.hpp"

#include <vector>

namespace rnnshim::small_batch {

struct packed_layer {
    int64_t input_size;    // K of the input GEMM: the model's input size, or directions x state size above layer 0
    aligned_buffer w_ih;   // [directions][gates][padded_hidden][input_size]: the GEMM's B, transposed
    aligned_buffer w_hh;   // [directions][hidden blocks][state_size][gates][16], float or bf16
    aligned_buffer bias;   // [directions][gates][padded_hidden]: b_ih + b_hh (GRU's n gate: b_in alone)
    aligned_buffer bias_hn;// GRU: [directions][padded_hidden], b_hn, applied inside r * (W_hn h + b_hn)
    aligned_buffer w_hr;   // projection: [directions][projection blocks][hidden_size][16], float or bf16
};

class packed_weights {
public:
    // pairs: pack a bf16 model's W_hh for the pair kernels.
    packed_weights(const model_shape &m, const float *params, bool pairs);

    const packed_layer &layer(int64_t l) const { return layers_[size_t(l)]; }
    int64_t padded_hidden() const { return padded_hidden_; }
    int64_t padded_state() const { return padded_state_; }
    // Whether w_hh and w_hr hold bfloat16.
    bool bf16() const { return bf16_; }
    // Bytes of one (direction, block) slice of w_hh, and of one (direction, projection block) slice of w_hr.
    int64_t hh_block_bytes() const { return hh_block_bytes_; }
    int64_t hr_block_bytes() const { return hr_block_bytes_; }

private:
    std::vector<packed_layer> layers_;
    int64_t padded_hidden_, padded_state_;
    bool bf16_;
    int64_t hh_block_bytes_ = 0, hr_block_bytes_ = 0;
};

inline int64_t round_up(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

} // namespace rnnshim::small_batch
