// Moving sequences and states between the caller's f32 tensors (time- or batch-major, caller's batch order, plan.caller_batch
// rows) and the shim's working tensors (time-major, sorted by length, f32 or bf16, plan.batch rows: the plan's rows only).
#pragma once

#include "time_segments.hpp"

#include <oneapi/dnnl/dnnl.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace rnnshim {

using dnnl_dt = dnnl::memory::data_type;

size_t size_of(dnnl_dt dt);

// A 64-byte-aligned byte buffer that only grows, so a reused one costs nothing per call.
class aligned_buffer {
public:
    void *ensure(size_t bytes);
    void *zeroed(size_t bytes);
    void *data() const { return data_.get(); }

private:
    struct release { void operator()(void *p) const noexcept; };
    std::unique_ptr<void, release> data_;
    size_t capacity_ = 0;
};

// src (T, N, C) or (N, T, C) in f32, caller order -> dst (T, N, C) sorted, of type dt. All T steps are copied.
void gather_sequence(const float *src, bool batch_first, const batch_plan &plan, int64_t channels, void *dst, dnnl_dt dt);
// The inverse; padded steps are copied too, so dst gets the work buffer's zeros there.
void scatter_sequence(const void *src, dnnl_dt dt, const batch_plan &plan, int64_t channels, float *dst, bool batch_first);
// One row r of a caller state (rows, N, H) -> sorted (N, H) of type dt; src null gives zeros.
void gather_state(const float *src, int64_t row, const batch_plan &plan, int64_t hidden, void *dst, dnnl_dt dt);
void scatter_state(const void *src, dnnl_dt dt, const batch_plan &plan, int64_t hidden, float *dst, int64_t row);

} // namespace rnnshim
