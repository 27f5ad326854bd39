// PyTorch <-> oneDNN parameter layouts for one layer and direction.
//
// PyTorch stores W[G*H][K] row-major, which is byte-for-byte oneDNN's plain ldgoi {1,1,K,G,H}; only the gate order
// differs: PyTorch GRU is r,z,n while oneDNN's lbr_gru is u(=z),r,o(=n), so the first two blocks swap. oneDNN takes one
// bias per gate (b_ih + b_hh), plus a fourth block b_hn for lbr_gru, which applies it inside r * (W_hn h + b_hn).
#pragma once

#include "model.hpp"

namespace rnnshim {

void weights_to_ldgoi(const model_shape &m, int64_t k, const float *torch_weights, float *ldgoi);
void weights_from_ldgoi(const model_shape &m, int64_t k, const float *ldgoi, float *torch_weights);
// bias_ih/bias_hh null (a model without bias): zeros, since oneDNN's CPU RNN requires a bias.
void bias_to_ldgo(const model_shape &m, const float *bias_ih, const float *bias_hh, float *ldgo);
// The summed bias feeds both b_ih and b_hh, so each gets its gradient; lbr_gru's b_in/b_hn come from blocks 3 and 4.
void bias_grad_from_ldgo(const model_shape &m, const float *diff_ldgo, float *grad_bias_ih, float *grad_bias_hh);

} // namespace rnnshim
