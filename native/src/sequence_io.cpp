#include "sequence_io.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

namespace rnnshim {

namespace {

uint16_t to_bf16(float f) {
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    if ((u & 0x7fffffffu) > 0x7f800000u) return uint16_t((u >> 16) | 0x40u); // keep NaN a (quiet) NaN
    u += 0x7fffu + ((u >> 16) & 1u);                                       // round to nearest even
    return uint16_t(u >> 16);
}

float from_bf16(uint16_t b) {
    uint32_t u = uint32_t(b) << 16;
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

void write_row(const float *src, void *dst, dnnl_dt dt, int64_t n) {
    if (dt == dnnl_dt::f32) {
        std::memcpy(dst, src, sizeof(float) * size_t(n));
        return;
    }
    auto *d = static_cast<uint16_t *>(dst);
    for (int64_t i = 0; i < n; ++i) d[i] = to_bf16(src[i]);
}

void read_row(const void *src, dnnl_dt dt, float *dst, int64_t n) {
    if (dt == dnnl_dt::f32) {
        std::memcpy(dst, src, sizeof(float) * size_t(n));
        return;
    }
    auto *s = static_cast<const uint16_t *>(src);
    for (int64_t i = 0; i < n; ++i) dst[i] = from_bf16(s[i]);
}

// Caller element (t, n) of a (T, N, C) or (N, T, C) tensor.
int64_t caller_offset(bool batch_first, const batch_plan &p, int64_t t, int64_t n, int64_t c) {
    return (batch_first ? n * p.seq_len + t : t * p.caller_batch + n) * c;
}

} // namespace

size_t size_of(dnnl_dt dt) { return dt == dnnl_dt::f32 ? 4 : 2; }

void aligned_buffer::release::operator()(void *p) const noexcept { std::free(p); }

void *aligned_buffer::ensure(size_t bytes) {
    if (bytes <= capacity_ && data_) return data_.get();
    size_t rounded = (bytes + 63) / 64 * 64;
    if (rounded == 0) rounded = 64;
    void *p = std::aligned_alloc(64, rounded);
    if (!p) throw std::bad_alloc();
    data_.reset(p);
    capacity_ = rounded;
    return p;
}

void *aligned_buffer::zeroed(size_t bytes) {
    void *p = ensure(bytes);
    std::memset(p, 0, bytes);
    return p;
}

void gather_sequence(const float *src, bool batch_first, const batch_plan &p, int64_t c, void *dst, dnnl_dt dt) {
    auto *d = static_cast<char *>(dst);
    const size_t es = size_of(dt);
#pragma omp parallel for schedule(static) if (p.seq_len * p.batch * c > (1 << 16))
    for (int64_t t = 0; t < p.seq_len; ++t)
        for (int64_t k = 0; k < p.batch; ++k)
            write_row(src + caller_offset(batch_first, p, t, p.order[size_t(k)], c), d + size_t((t * p.batch + k) * c) * es, dt, c);
}

void scatter_sequence(const void *src, dnnl_dt dt, const batch_plan &p, int64_t c, float *dst, bool batch_first) {
    auto *s = static_cast<const char *>(src);
    const size_t es = size_of(dt);
#pragma omp parallel for schedule(static) if (p.seq_len * p.batch * c > (1 << 16))
    for (int64_t t = 0; t < p.seq_len; ++t)
        for (int64_t k = 0; k < p.batch; ++k)
            read_row(s + size_t((t * p.batch + k) * c) * es, dt, dst + caller_offset(batch_first, p, t, p.order[size_t(k)], c), c);
}

void gather_state(const float *src, int64_t row, const batch_plan &p, int64_t h, void *dst, dnnl_dt dt) {
    auto *d = static_cast<char *>(dst);
    const size_t es = size_of(dt);
    if (!src) {
        std::memset(dst, 0, size_t(p.batch * h) * es);
        return;
    }
    for (int64_t k = 0; k < p.batch; ++k)
        write_row(src + (row * p.caller_batch + p.order[size_t(k)]) * h, d + size_t(k * h) * es, dt, h);
}

void scatter_state(const void *src, dnnl_dt dt, const batch_plan &p, int64_t h, float *dst, int64_t row) {
    auto *s = static_cast<const char *>(src);
    const size_t es = size_of(dt);
    for (int64_t k = 0; k < p.batch; ++k)
        read_row(s + size_t(k * h) * es, dt, dst + (row * p.caller_batch + p.order[size_t(k)]) * h, h);
}

} // namespace rnnshim
