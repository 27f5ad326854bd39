#include "int8_executor.hpp"

#include "error.hpp"
#include "openmp_threads_scope.hpp"
#include "quantization.hpp"
#include "sequence_io.hpp"
#include "weight_conversion.hpp"

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <unordered_map>

namespace rnnshim {

using dnnl::memory;
using dt = memory::data_type;
using tag = memory::format_tag;

int8_executor::int8_executor(const model_shape &m, const executor_tuning &tuning, const float *params,
        const std::vector<int8_data_qparams> &data)
    : m_(m), engine_(dnnl::engine::kind::cpu, 0), data_(data), split_(tuning.int8_batch_split),
      primitives_(tuning.primitive_cache_capacity) {
    const int64_t h = m_.hidden_size, g = m_.gates();
    dnnl::stream stream(engine_);
    auto to_ldigo = [&](const memory &ldgoi) {
        memory ldigo({ldgoi.get_desc().dims(), dt::f32, tag::ldigo}, engine_);
        dnnl::reorder(ldgoi, ldigo).execute(stream, const_cast<memory &>(ldgoi), ldigo);
        stream.wait();
        return ldigo;
    };
    weights_.resize(size_t(m_.state_rows()));
    for (int64_t layer = 0; layer < m_.num_layers; ++layer) {
        const int64_t k = m_.layer_input_size(layer);
        for (int64_t dir = 0; dir < m_.directions; ++dir) {
            const param_offsets o = offsets_of(m_, layer, dir);
            direction_weights &w = weights_[size_t(layer * m_.directions + dir)];
            w.plain_layer = memory({{1, 1, k, g, h}, dt::f32, tag::ldgoi}, engine_);
            w.plain_iter = memory({{1, 1, h, g, h}, dt::f32, tag::ldgoi}, engine_);
            w.bias = memory({{1, 1, g, h}, dt::f32, tag::ldgo}, engine_);
            auto *pl = static_cast<float *>(w.plain_layer.get_data_handle());
            auto *pi = static_cast<float *>(w.plain_iter.get_data_handle());
            weights_to_ldgoi(m_, k, params + o.weight_ih, pl);
            weights_to_ldgoi(m_, h, params + o.weight_hh, pi);
            bias_to_ldgo(m_, m_.has_bias ? params + o.bias_ih : nullptr, m_.has_bias ? params + o.bias_hh : nullptr,
                    static_cast<float *>(w.bias.get_data_handle()));
            w.scales = channel_scales(m_, k, pl, pi);
            // oneDNN's quantizing reorder reads ldigo f32 only; keep that as the source of every s8 layout.
            w.plain_layer = to_ldigo(w.plain_layer);
            w.plain_iter = to_ldigo(w.plain_iter);
        }
    }
    if (m_.small_batch_path != RNN_SMALL_BATCH_NEVER) small_batch_ = std::make_unique<small_batch::path>(m_, params, data_);
    // The s8 copies are made on first use for each layout a primitive asks for (oneDNN's choice depends on the batch
    // and sequence length). What one layout takes is known now, from a one-step batch of one: that is the figure
    // int8_weight_bytes() reports, and creating these primitives checks that this CPU can run int8 at all.
    int8_bytes_ = 0;
    for (int64_t layer = 0; layer < m_.num_layers; ++layer)
        for (int64_t dir = 0; dir < m_.directions; ++dir) {
            auto p = primitive_for({layer, dir, 1, 1, 1, omp_get_max_threads()});
            int8_bytes_ += int64_t(p->pd.weights_layer_desc().get_size() + p->pd.weights_iter_desc().get_size() +
                    p->pd.bias_desc().get_size());
        }
}

dnnl::primitive_attr int8_executor::attr_for(int64_t layer, const std::vector<float> &scales, bool user_scratchpad) const {
    dnnl::primitive_attr attr;
    // Calls bring their own scratchpad, so a cached primitive holds no mutable state. The one-off weight reorder keeps
    // the library's (it needs one for the compensation sums and has no caller to pass it).
    if (user_scratchpad) attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    attr.set_rnn_data_qparams(data_[size_t(layer)].scale, data_[size_t(layer)].shift);
    // Dims {L, D, I, G, O}: one scale per gate (bit 3) and output channel (bit 4).
    attr.set_rnn_weights_qparams((1 << 3) | (1 << 4), scales);
    return attr;
}

std::shared_ptr<int8_executor::cached_primitive> int8_executor::primitive_for(const primitive_key &key) const {
    if (auto cached = primitives_.find(key)) return cached;
    const int64_t k = m_.layer_input_size(key.layer), h = m_.hidden_size, g = m_.gates(), n = key.batch;
    const int64_t dh = m_.output_size();
    // Views into the whole layer's time-major tensors: input (T, N, K) u8, output (T, N, D*H) f32, this direction's half.
    memory::desc src_layer({key.steps, key.rows, k}, dt::u8, {n * k, k, 1});
    memory::desc dst_layer({key.steps, key.rows, h}, dt::f32, {n * dh, dh, 1});
    memory::desc state({1, 1, key.rows, h}, dt::f32, tag::ldnc);
    memory::desc wl({1, 1, k, g, h}, dt::s8, tag::any), wi({1, 1, h, g, h}, dt::s8, tag::any);
    memory::desc bias({1, 1, g, h}, dt::f32, tag::ldgo);
    const auto dir = key.direction == 0 ? dnnl::rnn_direction::unidirectional_left2right
                                        : dnnl::rnn_direction::unidirectional_right2left;
    const auto &scales = weights_[size_t(key.layer * m_.directions + key.direction)].scales;
    dnnl::lstm_forward::primitive_desc pd(dnnl::lstm_forward::desc(dnnl::prop_kind::forward_inference, dir, src_layer,
            state, state, wl, wi, bias, dst_layer, state, state), attr_for(key.layer, scales, true), engine_);
    auto made = std::make_shared<cached_primitive>(cached_primitive {pd, dnnl::lstm_forward(pd)});
    return primitives_.insert(key, std::move(made)); // callers hold what they are using
}

memory int8_executor::s8_weights(int64_t index, bool iter, const memory::desc &want, dnnl::stream &stream) const {
    std::lock_guard<std::mutex> lock(weights_mutex_);
    direction_weights &w = weights_[size_t(index)];
    auto &cache = iter ? w.s8_iter : w.s8_layer;
    for (auto &entry : cache)
        if (entry.first == want) return entry.second;
    // The reorder quantizes with the channel scales and computes oneDNN's compensation for the layer's data shift.
    const memory &plain = iter ? w.plain_iter : w.plain_layer;
    memory s8(want, engine_);
    dnnl::reorder(dnnl::reorder::primitive_desc(plain, s8, attr_for(index / m_.directions, w.scales, false)))
            .execute(stream, const_cast<memory &>(plain), s8);
    stream.wait();
    cache.emplace_back(want, s8);
    return s8;
}

int64_t int8_executor::int8_weight_bytes() const { return int8_bytes_; }

int64_t int8_executor::f32_weight_bytes() const {
    int64_t bytes = 0;
    for (const auto &w : weights_)
        bytes += int64_t(w.plain_layer.get_desc().get_size() + w.plain_iter.get_desc().get_size() + w.bias.get_desc().get_size());
    return bytes;
}

namespace {

// Every int8 call on a thread reuses that thread's buffers: they are the size of the call's batch, and allocating and
// faulting in tens of megabytes per call costs more than much of the call's own arithmetic. Concurrent callers run on
// different threads, so they never share one.
struct int8_call_buffers {
    aligned_buffer layer_input, layer_output, quantized, cur_h, nxt_h, cur_c, nxt_c, scratch;
};

int8_call_buffers &thread_buffers() {
    thread_local int8_call_buffers buffers;
    return buffers;
}

// Padded steps are never written by oneDNN and must read 0 in the output. Rows are sorted longest first, so at step t
// the padded rows are the tail [rows live at t, n) of that step: zero just those, not the whole tensor.
void zero_padding(const batch_plan &plan, int64_t channels, float *y) {
    const int64_t n = plan.batch;
    int64_t t = 0;
    for (const time_segment &seg : plan.segments)
        for (; t < seg.t1; ++t)
            if (seg.rows < n) std::memset(y + (t * n + seg.rows) * channels, 0, sizeof(float) * size_t((n - seg.rows) * channels));
    if (t < plan.seq_len) std::memset(y + t * n * channels, 0, sizeof(float) * size_t((plan.seq_len - t) * n * channels));
}

} // namespace

// A call with several threads splits its batch into one part per thread, down to one row per part, and a call of one row
// runs on one thread. oneDNN's int8 LSTM barely scales across threads inside one primitive (its per-step GEMMs have
// M = rows, and every step pays a thread barrier) while independent parts scale almost linearly: measured with rnn bench
// at 2 threads (lstm 256/512 x2, T=100), split against unsplit: batch 2 6.8 against 21 ms, 4: 9.5 against 25, 8: 13
// against 31, 32: 45 against 64; a batch of one row: 6.3 ms on 1 thread against 15 ms on 2. int8_batch_split = -1
// turns the split off (to measure the choice).
int64_t int8_executor::parts_for(const batch_plan &plan, int threads) const {
    if (!split_) return 0; // the whole batch on all threads, as an unsplit call runs
    return std::min<int64_t>(threads, plan.batch); // down to one row per part
}

void int8_executor::forward(const rnn_forward_args &a, const batch_plan &plan) const {
    // The call's own thread count when it gives one, as for f32 executors.
    const int threads = a.threads > 0 ? a.threads : m_.threads;
    if (small_batch_ && small_batch::chosen_int8(m_, plan.batch, plan.seq_len, threads)) {
        small_batch_->forward(a, threads);
        return;
    }
    openmp_threads_scope omp_threads(threads);
    const int64_t parts = parts_for(plan, threads);
    if (parts < 2) {
        if (parts == 1) omp_threads.set(1); // one thread, or one row: that runs best on one thread
        forward_rows(a, plan);
        return;
    }
    // Each part runs alone on one thread of this call's team (oneDNN runs single-threaded inside a parallel region),
    // with that thread's own buffers, stream and scratchpad, and writes only its own rows of the caller's tensors.
    // Accumulation is exact (s32), so the result does not depend on how the batch is split.
    std::vector<batch_plan> plans;
    plans.reserve(size_t(parts));
    for (int64_t p = 0; p < parts; ++p) plans.push_back(plan_part(plan, a.lengths, p, parts));
    std::vector<std::exception_ptr> errors(static_cast<size_t>(parts));
#pragma omp parallel num_threads(int(parts))
    {
        // oneDNN makes and runs primitives for omp_get_max_threads() threads, which a nested region would not give it.
        omp_set_num_threads(1);
        for (int64_t p = omp_get_thread_num(); p < parts; p += omp_get_num_threads()) {
            try {
                forward_rows(a, plans[size_t(p)]);
            } catch (...) {
                errors[size_t(p)] = std::current_exception();
            }
        }
    }
    for (auto &e : errors)
        if (e) std::rethrow_exception(e);
}

void int8_executor::forward_rows(const rnn_forward_args &a, const batch_plan &plan) const {
    dnnl::stream stream(engine_);
    const int64_t t_len = plan.seq_len, n = plan.batch, dh = m_.output_size();
    int8_call_buffers &buffers = thread_buffers();
    aligned_buffer &layer_input = buffers.layer_input, &layer_output = buffers.layer_output, &quantized = buffers.quantized;
    auto *x = static_cast<float *>(layer_input.ensure(sizeof(float) * size_t(t_len * n * m_.input_size)));
    gather_sequence(a.input, a.batch_first != 0, plan, m_.input_size, x, dt::f32);

    for (int64_t layer = 0; layer < m_.num_layers; ++layer) {
        const int64_t k = m_.layer_input_size(layer);
        auto *q = static_cast<uint8_t *>(quantized.ensure(size_t(t_len * n * k)));
        quantize_u8(x, t_len * n * k, data_[size_t(layer)].scale, data_[size_t(layer)].shift, q);
        auto *y = static_cast<float *>(layer_output.ensure(sizeof(float) * size_t(t_len * n * dh)));
        zero_padding(plan, dh, y);
        for (int64_t d = 0; d < m_.directions; ++d) forward_direction(layer, d, q, y + d * m_.hidden_size, plan, a, stream);
        std::swap(layer_input, layer_output);
        x = static_cast<float *>(layer_input.data());
    }
    scatter_sequence(x, dt::f32, plan, dh, a.output, a.batch_first != 0);
}

void int8_executor::forward_direction(int64_t layer, int64_t dir, const uint8_t *src, float *dst,
        const batch_plan &plan, const rnn_forward_args &a, dnnl::stream &stream) const {
    const int64_t index = layer * m_.directions + dir, h = m_.hidden_size, n = plan.batch, k = m_.layer_input_size(layer);
    const int64_t dh = m_.output_size();
    const size_t state_bytes = sizeof(float) * size_t(n * h);
    int8_call_buffers &buffers = thread_buffers();
    aligned_buffer &cur_h = buffers.cur_h, &nxt_h = buffers.nxt_h, &cur_c = buffers.cur_c, &nxt_c = buffers.nxt_c, &scratch = buffers.scratch;
    auto *ch = static_cast<float *>(cur_h.ensure(state_bytes)), *nh = static_cast<float *>(nxt_h.ensure(state_bytes));
    auto *cc = static_cast<float *>(cur_c.ensure(state_bytes)), *nc = static_cast<float *>(nxt_c.ensure(state_bytes));
    gather_state(a.h0, index, plan, h, ch, dt::f32);
    gather_state(a.c0, index, plan, h, cc, dt::f32);

    const size_t count = plan.segments.size();
    for (size_t i = 0; i < count; ++i) {
        const time_segment &seg = plan.segments[dir == 0 ? i : count - 1 - i];
        auto prim = primitive_for({layer, dir, seg.steps(), seg.rows, n, omp_get_max_threads()});
        const auto &pd = prim->pd;
        const memory::desc sd = pd.scratchpad_desc();
        std::unordered_map<int, memory> args {
                {DNNL_ARG_SRC_LAYER, memory(pd.src_layer_desc(), engine_, const_cast<uint8_t *>(src + seg.t0 * n * k))},
                {DNNL_ARG_DST_LAYER, memory(pd.dst_layer_desc(), engine_, dst + seg.t0 * n * dh)},
                {DNNL_ARG_SRC_ITER, memory(pd.src_iter_desc(), engine_, ch)},
                {DNNL_ARG_DST_ITER, memory(pd.dst_iter_desc(), engine_, nh)},
                {DNNL_ARG_SRC_ITER_C, memory(pd.src_iter_c_desc(), engine_, cc)},
                {DNNL_ARG_DST_ITER_C, memory(pd.dst_iter_c_desc(), engine_, nc)},
                {DNNL_ARG_WEIGHTS_LAYER, s8_weights(index, false, pd.weights_layer_desc(), stream)},
                {DNNL_ARG_WEIGHTS_ITER, s8_weights(index, true, pd.weights_iter_desc(), stream)},
                {DNNL_ARG_BIAS, weights_[size_t(index)].bias},
                {DNNL_ARG_SCRATCHPAD, memory(sd, engine_, scratch.ensure(sd.get_size()))}};
        prim->primitive.execute(stream, args);
        stream.wait();
        // Rows that stay active carry on from here; rows that ended keep their final state in cur.
        const size_t live = sizeof(float) * size_t(seg.rows * h);
        std::memcpy(ch, nh, live);
        std::memcpy(cc, nc, live);
    }
    scatter_state(ch, dt::f32, plan, h, a.hn, index);
    if (a.cn) scatter_state(cc, dt::f32, plan, h, a.cn, index);
}

} // namespace rnnshim
