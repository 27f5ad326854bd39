#include "quantization.hpp"

#include <algorithm>
#include <cmath>

namespace rnnshim {

std::vector<float> channel_scales(const model_shape &m, int64_t k, const float *layer, const float *iter) {
    const int64_t h = m.hidden_size, channels = m.gates() * h;
    std::vector<float> scales(static_cast<size_t>(channels));
    for (int64_t c = 0; c < channels; ++c) {
        float peak = 0.0f;
        for (int64_t i = 0; i < k; ++i) peak = std::max(peak, std::fabs(layer[c * k + i]));
        for (int64_t i = 0; i < h; ++i) peak = std::max(peak, std::fabs(iter[c * h + i]));
        scales[size_t(c)] = peak > 0.0f ? 127.0f / peak : 1.0f;
    }
    return scales;
}

void quantize_u8(const float *src, int64_t count, float scale, float shift, uint8_t *dst) {
    for (int64_t i = 0; i < count; ++i) {
        const float q = std::nearbyint(src[i] * scale + shift);
        dst[i] = uint8_t(std::min(255.0f, std::max(0.0f, q)));
    }
}

} // namespace rnnshim
