// One version of a model's weights: the converted plain copies (oneDNN ldgoi / ldgo, and ldoi for an LSTM projection's
// W_hr, f32) and their reorders into each
// layout a primitive prefers. Reordering is the only way data enters a preferred layout: it can be a packed format
// with a header, and raw writes there crash. Immutable once built, so a training context can keep the version its
// forward pass used while the executor moves on to updated weights. The reordered copies are made once per (layout,
// thread count) and then only read, by any number of concurrent calls; a reader lock guards the lookup.
#pragma once

#include "model.hpp"

#include <oneapi/dnnl/dnnl.hpp>

#include <shared_mutex>
#include <tuple>
#include <utility>
#include <vector>

namespace rnnshim {

class prepared_weights {
public:
    prepared_weights(const model_shape &m, const float *params, const dnnl::engine &engine);

    // Index = layer * directions + direction.
    const dnnl::memory &bias(int64_t index) const { return entries_[size_t(index)].bias; }
    // threads: the calling thread's OpenMP count, which oneDNN's packed layouts are sized for.
    dnnl::memory layer(int64_t index, const dnnl::memory::desc &want, int threads, dnnl::stream &stream);
    dnnl::memory iter(int64_t index, const dnnl::memory::desc &want, int threads, dnnl::stream &stream);
    // Only for a model with a projection.
    dnnl::memory projection(int64_t index, const dnnl::memory::desc &want, int threads, dnnl::stream &stream);

private:
    using cache = std::vector<std::tuple<dnnl::memory::desc, int, dnnl::memory>>;
    struct entry {
        dnnl::memory plain_layer, plain_iter, plain_projection, bias;
        cache layer_cache, iter_cache, projection_cache;
    };
    dnnl::memory converted(const dnnl::memory &plain, cache &c, const dnnl::memory::desc &want, int threads,
            dnnl::stream &stream);

    dnnl::engine engine_;
    std::vector<entry> entries_;
    std::shared_mutex mutex_;
};

} // namespace rnnshim
