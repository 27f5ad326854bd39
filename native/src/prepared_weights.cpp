#include "prepared_weights.hpp"

#include "weight_conversion.hpp"

#include <cstring>
#include <mutex>

namespace rnnshim {

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

namespace {
constexpr size_t max_layouts = 32;
} // namespace

prepared_weights::prepared_weights(const model_shape &m, const float *params, const dnnl::engine &engine) : engine_(engine) {
    const int64_t h = m.hidden_size, g = m.gates(), sz = m.state_size();
    for (int64_t l = 0; l < m.num_layers; ++l)
        for (int64_t d = 0; d < m.directions; ++d) {
            const int64_t k = m.layer_input_size(l);
            const param_offsets o = offsets_of(m, l, d);
            entry e;
            e.plain_layer = dnnl::memory({{1, 1, k, g, h}, dt::f32, tag::ldgoi}, engine_);
            e.plain_iter = dnnl::memory({{1, 1, sz, g, h}, dt::f32, tag::ldgoi}, engine_);
            e.bias = dnnl::memory({{1, 1, m.bias_gates(), h}, dt::f32, tag::ldgo}, engine_);
            weights_to_ldgoi(m, k, params + o.weight_ih, static_cast<float *>(e.plain_layer.get_data_handle()));
            weights_to_ldgoi(m, sz, params + o.weight_hh, static_cast<float *>(e.plain_iter.get_data_handle()));
            if (m.has_projection()) {
                // PyTorch's W_hr (P, H) row-major is byte for byte oneDNN's {1, 1, H, P} ldoi.
                e.plain_projection = dnnl::memory({{1, 1, h, m.proj_size}, dt::f32, tag::ldoi}, engine_);
                std::memcpy(e.plain_projection.get_data_handle(), params + o.weight_hr,
                        sizeof(float) * size_t(m.proj_size * h));
            }
            bias_to_ldgo(m, m.has_bias ? params + o.bias_ih : nullptr, m.has_bias ? params + o.bias_hh : nullptr,
                    static_cast<float *>(e.bias.get_data_handle()));
            entries_.push_back(std::move(e));
        }
}

dnnl::memory prepared_weights::converted(const dnnl::memory &plain, cache &c, const dnnl::memory::desc &want, int threads,
        dnnl::stream &stream) {
    // A packed layout is sized by the thread count it was packed with; any other layout serves every thread count.
    const int key = want.data.format_kind == dnnl_format_kind_rnn_packed ? threads : 0;
    auto find = [&]() -> const dnnl::memory * {
        for (auto &[desc, t, mem] : c)
            if (t == key && desc == want) return &mem;
        return nullptr;
    };
    {
        std::shared_lock<std::shared_mutex> lock(mutex_);
        if (const dnnl::memory *mem = find()) return *mem;
    }
    std::unique_lock<std::shared_mutex> lock(mutex_);
    if (const dnnl::memory *mem = find()) return *mem;
    // Packed GRU layouts differ per (T, N); keep a bounded set of them. Calls holding an evicted copy keep it alive.
    if (c.size() >= max_layouts) c.erase(c.begin());
    dnnl::memory mem(want, engine_);
    dnnl::reorder(plain, mem).execute(stream, const_cast<dnnl::memory &>(plain), mem);
    stream.wait();
    c.emplace_back(want, key, mem);
    return mem;
}

dnnl::memory prepared_weights::layer(int64_t index, const dnnl::memory::desc &want, int threads, dnnl::stream &stream) {
    auto &e = entries_[size_t(index)];
    return converted(e.plain_layer, e.layer_cache, want, threads, stream);
}

dnnl::memory prepared_weights::iter(int64_t index, const dnnl::memory::desc &want, int threads, dnnl::stream &stream) {
    auto &e = entries_[size_t(index)];
    return converted(e.plain_iter, e.iter_cache, want, threads, stream);
}

dnnl::memory prepared_weights::projection(int64_t index, const dnnl::memory::desc &want, int threads, dnnl::stream &stream) {
    auto &e = entries_[size_t(index)];
    return converted(e.plain_projection, e.projection_cache, want, threads, stream);
}

} // namespace rnnshim
