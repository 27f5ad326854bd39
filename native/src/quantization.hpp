// The int8 arithmetic the shim does itself (oneDNN does the rest): per-output-channel weight scales and the u8
// quantization of a layer's f32 input.
#pragma once

#include "model.hpp"

#include <cstdint>
#include <vector>

namespace rnnshim {

// One layer's u8 quantization of its input and its h: u8 = saturate(round(x * scale + shift)).
struct int8_data_qparams {
    float scale, shift;
};

// One scale per (gate, output channel) in oneDNN gate order, shared by weights_layer and weights_iter (oneDNN applies
// one set to both): 127 / max |w| over that channel's row in W_ih and W_hh; 1 for an all-zero channel.
std::vector<float> channel_scales(const model_shape &m, int64_t k, const float *ldgoi_layer, const float *ldgoi_iter);

// dst[i] = saturate_u8(round_half_even(src[i] * scale + shift)), the same rounding oneDNN uses for h.
void quantize_u8(const float *src, int64_t count, float scale, float shift, uint8_t *dst);

// dst = saturate_s8(round_half_even(w * scale)), as oneDNN's quantizing reorder makes s8 weights.
int8_t quantize_s8(float w, float scale);

} // namespace rnnshim
