#include "packed_weights.hpp"

#include <cstdint>
#include <cstring>
#include <vector>

namespace rnnshim::small_batch {

namespace {

float *floats(aligned_buffer &b, int64_t count) {
    return static_cast<float *>(b.zeroed(sizeof(float) * size_t(count)));
}

// A float's nearest bfloat16 (ties to even), as the upper 16 bits of a float; NaN stays NaN.
uint16_t to_bf16(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return uint16_t((bits >> 16) | 0x40u);
    bits += 0x7fffu + ((bits >> 16) & 1u);
    return uint16_t(bits >> 16);
}

float round_to_bf16(float f) {
    const uint32_t bits = uint32_t(to_bf16(f)) << 16;
    float r;
    std::memcpy(&r, &bits, sizeof r);
    return r;
}

// Narrows a buffer of floats to their bfloat16 values in place, packed into its first half (element i moves from byte
// 4i to byte 2i, read before anything is written there).
void narrow_to_bf16(aligned_buffer &b, int64_t count) {
    auto *bytes = static_cast<char *>(b.data());
    for (int64_t i = 0; i < count; ++i) {
        float f;
        std::memcpy(&f, bytes + 4 * i, sizeof f);
        const uint16_t half = to_bf16(f);
        std::memcpy(bytes + 2 * i, &half, sizeof half);
    }
}

// Replaces float blocks [k][gate][16] (count of them, k_len each) with their bfloat16 values packed for the pair
// kernels, [k/2][gate][16][2]; the odd k's partner stays zero.
void to_pairs(aligned_buffer &b, int64_t count, int64_t k_len, int64_t g_count) {
    const int64_t per_block = (k_len + 1) / 2 * 2 * g_count * block;
    const auto *src = static_cast<const float *>(b.data());
    std::vector<uint16_t> paired(size_t(count * per_block), 0);
    for (int64_t db = 0; db < count; ++db)
        for (int64_t k = 0; k < k_len; ++k)
            for (int64_t g = 0; g < g_count; ++g)
                for (int64_t j = 0; j < block; ++j)
                    paired[size_t(db * per_block + (((k / 2) * g_count + g) * block + j) * 2 + k % 2)] =
                            to_bf16(src[db * k_len * g_count * block + (k * g_count + g) * block + j]);
    std::memcpy(b.zeroed(sizeof(uint16_t) * paired.size()), paired.data(), sizeof(uint16_t) * paired.size());
}

// Where element (k, gate, unit j) of a block goes in the int8 quad layout [k/4][gate][16][4].
int64_t quad_at(int64_t k, int64_t g, int64_t j, int64_t g_count) { return (((k / 4) * g_count + g) * block + j) * 4 + k % 4; }

} // namespace

packed_weights::packed_weights(const model_shape &m, const float *params, bool pairs, const std::vector<int8_data_qparams> &int8)
    : padded_hidden_(round_up(m.hidden_size, block)), padded_state_(round_up(m.state_size(), block)),
      bf16_(m.precision == RNN_PRECISION_BF16), int8_(int8) {
    const int64_t d_count = m.directions, g_count = m.gates(), h = m.hidden_size, hp = padded_hidden_, s = m.state_size();
    const int64_t blocks = hp / block, k_pairs = (s + 1) / 2, k_quads = (s + 3) / 4;
    pairs = pairs && bf16_;
    hh_block_bytes_ = this->int8() ? k_quads * 4 * g_count * block
            : pairs                ? k_pairs * 2 * g_count * block * 2
                                   : s * g_count * block * (bf16_ ? 2 : 4);
    hr_block_bytes_ = h * block * (bf16_ ? 2 : 4);
    const bool gru = m.cell == RNN_CELL_GRU;
    layers_.resize(size_t(m.num_layers));
    for (int64_t l = 0; l < m.num_layers; ++l) {
        packed_layer &pl = layers_[size_t(l)];
        const int64_t k_in = m.layer_input_size(l);
        pl.input_size = k_in;
        float *w_ih = floats(pl.w_ih, d_count * g_count * hp * k_in);
        pl.ih_block_bytes = k_in * g_count * block * int64_t(sizeof(float));
        float *w_hh = floats(pl.w_hh, d_count * blocks * s * g_count * block);
        float *bias = floats(pl.bias, d_count * g_count * hp);
        float *bias_hn = gru ? floats(pl.bias_hn, d_count * hp) : nullptr;
        float *w_hr = m.has_projection() ? floats(pl.w_hr, d_count * padded_state_ * h) : nullptr;
        for (int64_t d = 0; d < d_count; ++d) {
            const param_offsets o = offsets_of(m, l, d);
            const float *src_ih = params + o.weight_ih, *src_hh = params + o.weight_hh;
            for (int64_t g = 0; g < g_count; ++g)
                for (int64_t u = 0; u < h; ++u) {
                    const int64_t row = g * h + u; // PyTorch's row of this gate and unit
                    const int64_t b = u / block, j = u % block;
                    float *dst_ih = w_ih + (d * blocks + b) * k_in * g_count * block;
                    for (int64_t k = 0; k < k_in; ++k) dst_ih[(k * g_count + g) * block + j] = src_ih[row * k_in + k];
                    float *dst = w_hh + (d * blocks + b) * s * g_count * block;
                    for (int64_t k = 0; k < s; ++k) dst[(k * g_count + g) * block + j] = src_hh[row * s + k];
                    if (m.has_bias) {
                        const float b_ih = params[o.bias_ih + row], b_hh = params[o.bias_hh + row];
                        const bool inside_reset = gru && g == 2;
                        bias[(d * g_count + g) * hp + u] = inside_reset ? b_ih : b_ih + b_hh;
                        if (inside_reset) bias_hn[d * hp + u] = b_hh;
                    }
                }
            if (w_hr) {
                // PyTorch's W_hr is (P, H) row-major: output p reads row p.
                const float *src_hr = params + o.weight_hr;
                float *dst = w_hr + d * padded_state_ * h;
                for (int64_t p = 0; p < m.proj_size; ++p)
                    for (int64_t k = 0; k < h; ++k) dst[((p / block) * h + k) * block + p % block] = src_hr[p * h + k];
            }
        }
        if (this->int8()) quantize_layer(m, params, l);
        if (bf16_) {
            const int64_t ih_count = d_count * g_count * hp * k_in;
            for (int64_t i = 0; i < ih_count; ++i) w_ih[i] = round_to_bf16(w_ih[i]);
            if (pairs) {
                to_pairs(pl.w_hh, d_count * blocks, s, g_count);
                to_pairs(pl.w_ih, d_count * blocks, k_in, g_count);
                pl.ih_block_bytes = (k_in + 1) / 2 * 2 * g_count * block * 2;
            } else {
                narrow_to_bf16(pl.w_hh, d_count * blocks * s * g_count * block);
            }
            if (w_hr) narrow_to_bf16(pl.w_hr, d_count * padded_state_ * h);
        }
    }
}

void packed_weights::quantize_layer(const model_shape &m, const float *params, int64_t l) {
    packed_layer &pl = layers_[size_t(l)];
    const int64_t d_count = m.directions, g_count = m.gates(), h = m.hidden_size, hp = padded_hidden_, s = m.state_size();
    const int64_t k_in = pl.input_size, blocks = hp / block, k_quads = (s + 3) / 4, per_block = k_quads * 4 * g_count * block;
    const float *w_hh = static_cast<const float *>(pl.w_hh.data());
    float *bias = static_cast<float *>(pl.bias.data());
    float *deq = floats(pl.deq, d_count * g_count * hp);
    // W_ih and W_hh both in blocks: [direction][block][k/4][gate][16][4].
    pl.ih_block_bytes = (k_in + 3) / 4 * 4 * g_count * block;
    std::vector<int8_t> ih(size_t(d_count * blocks * pl.ih_block_bytes), 0), hh(size_t(d_count * blocks * per_block), 0);
    const int8_data_qparams q = int8_[size_t(l)];
    for (int64_t d = 0; d < d_count; ++d) {
        const param_offsets o = offsets_of(m, l, d);
        // PyTorch's LSTM rows are oneDNN's ldgoi, gate order included.
        const std::vector<float> scales = channel_scales(m, k_in, params + o.weight_ih, params + o.weight_hh);
        for (int64_t g = 0; g < g_count; ++g)
            for (int64_t u = 0; u < h; ++u) {
                const int64_t row = g * h + u, at = (d * g_count + g) * hp + u, b = u / block, j = u % block;
                const float scale = scales[size_t(row)];
                int64_t weight_sum = 0;
                int8_t *dst_ih = ih.data() + (d * blocks + b) * pl.ih_block_bytes;
                for (int64_t i = 0; i < k_in; ++i) {
                    const int8_t v = quantize_s8(params[o.weight_ih + row * k_in + i], scale);
                    dst_ih[quad_at(i, g, j, g_count)] = v;
                    weight_sum += v;
                }
                const float *src = w_hh + (d * blocks + b) * s * g_count * block;
                int8_t *dst = hh.data() + (d * blocks + b) * per_block;
                for (int64_t k = 0; k < s; ++k) {
                    const int8_t v = quantize_s8(src[(k * g_count + g) * block + j], scale);
                    dst[quad_at(k, g, j, g_count)] = v;
                    weight_sum += v;
                }
                deq[at] = 1.0f / (q.scale * scale);
                bias[at] -= deq[at] * q.shift * float(weight_sum);
            }
    }
    std::memcpy(pl.w_ih.zeroed(ih.size()), ih.data(), ih.size());
    std::memcpy(pl.w_hh.zeroed(hh.size()), hh.data(), hh.size());
}

} // namespace rnnshim::small_batch
