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
    // Saturating first and rounding after gives the same u8 (rounding is monotonic and 0 and 255 are integers; NaN
    // becomes 0 either way), and in [0, 255] adding and subtracting 1.5 * 2^23 rounds half to even exactly, in the
    // default rounding mode as nearbyint does: a loop the compiler vectorizes, unlike a call to nearbyint.
    constexpr float round_even = 12582912.0f;
    for (int64_t i = 0; i < count; ++i) {
        const float v = std::min(255.0f, std::max(0.0f, src[i] * scale + shift));
        dst[i] = uint8_t(int32_t((v + round_even) - round_even));
    }
}

int8_t quantize_s8(float w, float scale) {
    // nearbyint rounds half to even in the default rounding mode.
    return int8_t(std::nearbyint(std::min(127.0f, std::max(-128.0f, w * scale))));
}

} // namespace rnnshim
