// The process-wide entry points (rnn_runtime_*): choices no executor makes for the application.
#include "rnnshim.h"

#include "error.hpp"
#include "heap_release.hpp"

#include <oneapi/dnnl/dnnl.hpp>

#include <string>

using namespace rnnshim;

namespace {
constexpr int32_t max_onednn_cache_capacity = 1 << 20;
} // namespace

extern "C" {

RNN_API rnn_status rnn_runtime_set_primitive_cache_capacity(int32_t capacity) {
    return guarded(__func__, [&] {
        if (capacity < 0 || capacity > max_onednn_cache_capacity)
            invalid("capacity must be between 0 (oneDNN's cache off) and " + std::to_string(max_onednn_cache_capacity) +
                    "; got " + std::to_string(capacity));
        dnnl::set_primitive_cache_capacity(capacity);
    });
}

RNN_API rnn_status rnn_runtime_primitive_cache_capacity(int32_t *capacity) {
    return guarded(__func__, [&] {
        if (!capacity) invalid("capacity is null");
        *capacity = int32_t(dnnl::get_primitive_cache_capacity());
    });
}

RNN_API rnn_status rnn_runtime_release_free_memory(void) {
    return guarded(__func__, [&] { release_free_heap_pages(); });
}

} // extern "C"
