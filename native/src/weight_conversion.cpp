#include "weight_conversion.hpp"

#include <algorithm>
#include <cstring>

namespace rnnshim {

namespace {
// The PyTorch gate block that oneDNN's gate g reads; the r/z swap is its own inverse.
int64_t torch_gate(const model_shape &m, int64_t g) {
    if (m.cell != RNN_CELL_GRU || g == 2) return g;
    return g == 0 ? 1 : 0;
}
} // namespace

void weights_to_ldgoi(const model_shape &m, int64_t k, const float *src, float *dst) {
    int64_t block = m.hidden_size * k;
    for (int64_t g = 0; g < m.gates(); ++g)
        std::memcpy(dst + g * block, src + torch_gate(m, g) * block, sizeof(float) * size_t(block));
}

void weights_from_ldgoi(const model_shape &m, int64_t k, const float *src, float *dst) {
    int64_t block = m.hidden_size * k;
    for (int64_t g = 0; g < m.gates(); ++g)
        std::memcpy(dst + torch_gate(m, g) * block, src + g * block, sizeof(float) * size_t(block));
}

void bias_to_ldgo(const model_shape &m, const float *bih, const float *bhh, float *dst) {
    const int64_t h = m.hidden_size;
    std::fill(dst, dst + m.bias_gates() * h, 0.0f);
    if (!bih || !bhh) return;
    for (int64_t g = 0; g < m.gates(); ++g) {
        const int64_t pg = torch_gate(m, g);
        for (int64_t o = 0; o < h; ++o) {
            if (m.cell == RNN_CELL_GRU && g == 2) {
                dst[2 * h + o] = bih[2 * h + o];
                dst[3 * h + o] = bhh[2 * h + o];
            } else {
                dst[g * h + o] = bih[pg * h + o] + bhh[pg * h + o];
            }
        }
    }
}

void bias_grad_from_ldgo(const model_shape &m, const float *diff, float *gih, float *ghh) {
    const int64_t h = m.hidden_size;
    for (int64_t g = 0; g < m.gates(); ++g) {
        const int64_t pg = torch_gate(m, g);
        for (int64_t o = 0; o < h; ++o) {
            if (m.cell == RNN_CELL_GRU && g == 2) {
                gih[2 * h + o] = diff[2 * h + o];
                ghh[2 * h + o] = diff[3 * h + o];
            } else {
                gih[pg * h + o] = diff[g * h + o];
                ghh[pg * h + o] = diff[g * h + o];
            }
        }
    }
}

} // namespace rnnshim
