#include "executor.hpp"

#include "error.hpp"
#include "openmp_threads_scope.hpp"
#include "weight_conversion.hpp"

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <exception>

namespace rnnshim {

using dnnl::memory;
using dt = memory::data_type;
using tag = memory::format_tag;

namespace {

char *offset(void *base, int64_t elements, dt type) { return static_cast<char *>(base) + elements * int64_t(size_of(type)); }

} // namespace

executor::executor(const model_shape &m, const executor_tuning &tuning, const float *params)
    : m_(m), tuning_(tuning), engine_(dnnl::engine::kind::cpu, 0), data_type_(data_type_of(m)),
      cache_(tuning.primitive_cache_capacity), pool_(engine_) {
    weights_ = std::make_shared<prepared_weights>(m_, params, engine_);
    if ((m_.precision == RNN_PRECISION_F32 || m_.precision == RNN_PRECISION_BF16) && m_.small_batch_path != RNN_SMALL_BATCH_NEVER)
        small_batch_ = std::make_unique<small_batch::path>(m_, params);
}

std::shared_ptr<prepared_weights> executor::current_weights() const { return std::atomic_load(&weights_); }

void executor::update_weights(const float *params) {
    // Calls already running keep the version they started with; later calls see the new one.
    std::atomic_store(&weights_, std::make_shared<prepared_weights>(m_, params, engine_));
    if (small_batch_) small_batch_->update_weights(params);
}

std::shared_ptr<segment_primitives> executor::primitives_for(const segment_shape &s) {
    if (auto cached = cache_.find(s)) return cached;
    // Built outside the cache's lock (JIT takes milliseconds); two callers racing on a new shape both build, one copy
    // is kept.
    auto p = std::make_shared<segment_primitives>(make_segment_primitives(m_, engine_, s));
    return cache_.insert(s, std::move(p)); // calls and contexts keep what they still use alive
}

memory executor::scratchpad_for(const dnnl::primitive_desc_base &pd, direction_slot &slot) {
    const memory::desc desc = pd.scratchpad_desc();
    return memory(desc, engine_, slot.scratchpad.ensure(desc.get_size()));
}

template <class Body>
void executor::for_each_direction(int threads, Body &&body) {
    // oneDNN runs single-threaded inside an OpenMP parallel region, so running the two directions of a layer side by
    // side uses exactly two threads: worth it for 2-3 threads (small per-direction GEMMs scale poorly), not beyond.
    if (m_.directions == 2 && tuning_.run_directions_in_parallel(threads)) {
        std::exception_ptr errors[2];
#pragma omp parallel num_threads(2)
        {
            for (int d = omp_get_thread_num(); d < 2; d += omp_get_num_threads()) {
                try {
                    body(d);
                } catch (...) {
                    errors[d] = std::current_exception();
                }
            }
        }
        for (auto &e : errors)
            if (e) std::rethrow_exception(e);
        return;
    }
    for (int d = 0; d < m_.directions; ++d) body(d);
}

void executor::forward(const rnn_forward_args &a, const batch_plan &plan, int threads, training_context *ctx) {
    openmp_threads_scope omp_threads(threads);
    if (small_batch_ && small_batch::chosen(m_, plan.batch, plan.seq_len, ctx != nullptr, threads)) {
        small_batch_->forward(a, threads);
        return;
    }
    workspace_pool::lease work = pool_.take();
    std::shared_ptr<prepared_weights> weights = current_weights();
    const int64_t t_len = plan.seq_len, n = plan.batch, in = m_.input_size, dh = m_.output_size();
    const bool batch_first = a.batch_first != 0;
    // f32 inference over an already-sorted batch reads the caller's input and writes its output in place.
    const bool direct = !ctx && data_type_ == dt::f32 && plan.identity;

    if (ctx) {
        ctx->plan = plan;
        ctx->threads = threads;
        ctx->batch_first = batch_first;
        ctx->weights = weights;
        ctx->layer_data.resize(size_t(m_.num_layers + 1));
        ctx->records.resize(size_t(m_.state_rows()));
    }

    sequence_view src;
    if (direct) {
        src = {reinterpret_cast<char *>(const_cast<float *>(a.input)), batch_first ? in : n * in, batch_first ? t_len * in : in};
    } else {
        aligned_buffer &buf = ctx ? ctx->layer_data[0] : work->input_work;
        void *p = buf.ensure(size_t(t_len * n * in) * size_of(data_type_));
        gather_sequence(a.input, batch_first, plan, in, p, data_type_);
        src = {static_cast<char *>(p), n * in, in};
    }

    // Where a layer writes all T steps: the caller's output (the last layer, direct) or buf, time-major and sorted.
    auto layer_output = [&](bool last, aligned_buffer &buf) -> sequence_view {
        if (last && direct) {
            if (!plan.full_length) std::memset(a.output, 0, sizeof(float) * size_t(t_len * n * dh));
            return {reinterpret_cast<char *>(a.output), batch_first ? dh : n * dh, batch_first ? t_len * dh : dh};
        }
        const size_t bytes = size_t(t_len * n * dh) * size_of(data_type_);
        // Padded steps are never written; the final output must read 0 there.
        void *p = last && !plan.full_length ? buf.zeroed(bytes) : buf.ensure(bytes);
        return {static_cast<char *>(p), n * dh, dh};
    };

    // A right-to-left direction needs the whole of the layer below before its first step, and training keeps every
    // layer's output for backward anyway: only unidirectional inference can run chunk by chunk.
    if (!ctx && m_.directions == 1 && tuning_.chunk_steps > 0) {
        const sequence_view dst = layer_output(true, work->output_work);
        forward_chunked(src, dst, plan, a, threads, *weights, *work);
        if (!direct) scatter_sequence(dst.base, data_type_, plan, dh, a.output, batch_first);
        return;
    }

    for (int64_t layer = 0; layer < m_.num_layers; ++layer) {
        const bool last = layer == m_.num_layers - 1;
        const sequence_view dst =
                layer_output(last, ctx ? ctx->layer_data[size_t(layer + 1)] : work->layer_work[layer % 2]);
        for_each_direction(threads, [&](int d) {
            sequence_view dst_half {offset(dst.base, d * m_.state_size(), data_type_), dst.stride_t, dst.stride_n};
            forward_direction(layer, d, src, dst_half, plan, a, threads, *weights, work->slots[d], ctx);
        });
        src = dst;
    }
    if (!direct) scatter_sequence(src.base, data_type_, plan, dh, a.output, batch_first);
}

void executor::forward_direction(int64_t layer, int64_t dir, const sequence_view &src, const sequence_view &dst,
        const batch_plan &plan, const rnn_forward_args &a, int threads, prepared_weights &weights, direction_slot &slot,
        training_context *ctx) {
    // h is sz = state_size() wide (a projection's P, or H); c is h = hidden_size wide.
    const int64_t index = layer * m_.directions + dir, h = m_.hidden_size, sz = m_.state_size(), n = plan.batch;
    const bool lstm = m_.has_cell_state();
    const size_t es = size_of(data_type_);
    void *cur_h = slot.cur_h.ensure(size_t(n * sz) * es);
    void *nxt_h = slot.nxt_h.ensure(size_t(n * sz) * es);
    void *cur_c = lstm ? slot.cur_c.ensure(size_t(n * h) * 4) : nullptr;
    void *nxt_c = lstm ? slot.nxt_c.ensure(size_t(n * h) * 4) : nullptr;
    gather_state(a.h0, index, plan, sz, cur_h, data_type_);
    if (lstm) gather_state(a.c0, index, plan, h, cur_c, dt::f32);

    const size_t count = plan.segments.size();
    for (size_t i = 0; i < count; ++i) {
        const time_segment &seg = plan.segments[dir == 0 ? i : count - 1 - i];
        segment_shape shape {layer, dir, seg.steps(), seg.rows, ctx != nullptr, src.stride_t, src.stride_n, dst.stride_t,
                dst.stride_n, threads};
        auto prims = primitives_for(shape);
        const auto &pd = prims->forward_pd;
        const size_t state_bytes = size_t(seg.rows * sz) * es, cell_bytes = size_t(seg.rows * h) * 4;

        void *h_in = cur_h, *h_out = nxt_h, *c_in = cur_c, *c_out = nxt_c;
        training_context::segment_record *rec = nullptr;
        if (ctx) {
            ctx->records[size_t(index)].emplace_back();
            rec = &ctx->records[size_t(index)].back();
            rec->primitives = prims;
            h_in = rec->h_in.ensure(state_bytes);
            std::memcpy(h_in, cur_h, state_bytes);
            h_out = rec->h_out.ensure(state_bytes);
            if (lstm) {
                c_in = rec->c_in.ensure(cell_bytes);
                std::memcpy(c_in, cur_c, cell_bytes);
                c_out = rec->c_out.ensure(cell_bytes);
            }
            rec->workspace = memory(pd.workspace_desc(), engine_);
        }

        execute_forward(*prims, index, src.base + seg.t0 * src.stride_t * int64_t(es),
                dst.base + seg.t0 * dst.stride_t * int64_t(es), h_in, h_out, c_in, c_out, rec ? &rec->workspace : nullptr,
                threads, weights, slot);
        // Rows that stay active carry on from here; rows that ended keep their final state in cur.
        std::memcpy(cur_h, h_out, state_bytes);
        if (lstm) std::memcpy(cur_c, c_out, cell_bytes);
    }
    scatter_state(cur_h, data_type_, plan, sz, a.hn, index);
    if (lstm && a.cn) scatter_state(cur_c, dt::f32, plan, h, a.cn, index);
}

void executor::forward_chunked(const sequence_view &src, const sequence_view &dst, const batch_plan &plan,
        const rnn_forward_args &a, int threads, prepared_weights &weights, call_workspace &work) {
    const int64_t layers = m_.num_layers, h = m_.hidden_size, sz = m_.state_size(), n = plan.batch, dh = m_.output_size();
    const bool lstm = m_.has_cell_state();
    const size_t es = size_of(data_type_);
    direction_slot &slot = work.slots[0];

    // Each layer carries its own h (and c) from one chunk to the next; rows that ended keep their final state there.
    if (work.layer_states.size() < size_t(layers)) work.layer_states.resize(size_t(layers));
    for (int64_t l = 0; l < layers; ++l) {
        call_workspace::layer_state &state = work.layer_states[size_t(l)];
        gather_state(a.h0, l, plan, sz, state.h.ensure(size_t(n * sz) * es), data_type_);
        if (lstm) gather_state(a.c0, l, plan, h, state.c.ensure(size_t(n * h) * 4), dt::f32);
    }
    void *nxt_h = slot.nxt_h.ensure(size_t(n * sz) * es);
    void *nxt_c = lstm ? slot.nxt_c.ensure(size_t(n * h) * 4) : nullptr;

    // Layer l writes its chunk into chunk[l % 2], where layer l + 1 reads it: (steps, rows) of a (chunk, N, dh) buffer.
    char *chunk[2] = {nullptr, nullptr};
    const int64_t chunk_steps = tuning_.chunk_steps, chunk_capacity = std::min(chunk_steps, plan.seq_len);
    const int64_t chunk_stride_t = n * dh, chunk_stride_n = dh;
    for (int64_t i = 0; i < std::min<int64_t>(2, layers - 1); ++i)
        chunk[i] = static_cast<char *>(work.layer_work[i].ensure(size_t(chunk_capacity * n * dh) * es));

    for (const time_segment &seg : plan.segments) {
        // Near-equal pieces rather than full chunks and a short tail: as few primitive runs, none of a step or two.
        const int64_t pieces = (seg.steps() + chunk_steps - 1) / chunk_steps;
        int64_t t0 = seg.t0;
        for (int64_t p = 0; p < pieces; ++p) {
            const int64_t steps = seg.steps() / pieces + (p < seg.steps() % pieces ? 1 : 0);
            for (int64_t l = 0; l < layers; ++l) {
                const bool first = l == 0, last = l == layers - 1;
                char *in = first ? src.base + t0 * src.stride_t * int64_t(es) : chunk[(l - 1) % 2];
                char *out = last ? dst.base + t0 * dst.stride_t * int64_t(es) : chunk[l % 2];
                segment_shape shape {l, 0, steps, seg.rows, false, first ? src.stride_t : chunk_stride_t,
                        first ? src.stride_n : chunk_stride_n, last ? dst.stride_t : chunk_stride_t,
                        last ? dst.stride_n : chunk_stride_n, threads};
                auto prims = primitives_for(shape);
                call_workspace::layer_state &state = work.layer_states[size_t(l)];
                execute_forward(*prims, l, in, out, state.h.data(), nxt_h, lstm ? state.c.data() : nullptr, nxt_c,
                        nullptr, threads, weights, slot);
                std::memcpy(state.h.data(), nxt_h, size_t(seg.rows * sz) * es);
                if (lstm) std::memcpy(state.c.data(), nxt_c, size_t(seg.rows * h) * 4);
            }
            t0 += steps;
        }
    }
    for (int64_t l = 0; l < layers; ++l) {
        scatter_state(work.layer_states[size_t(l)].h.data(), data_type_, plan, sz, a.hn, l);
        if (lstm && a.cn) scatter_state(work.layer_states[size_t(l)].c.data(), dt::f32, plan, h, a.cn, l);
    }
}

void executor::execute_forward(const segment_primitives &prims, int64_t index, char *src, char *dst, void *h_in,
        void *h_out, void *c_in, void *c_out, const memory *training_workspace, int threads, prepared_weights &weights,
        direction_slot &slot) {
    const auto &pd = prims.forward_pd;
    std::unordered_map<int, memory> args {{DNNL_ARG_SRC_LAYER, memory(pd.src_layer_desc(), engine_, src)},
            {DNNL_ARG_DST_LAYER, memory(pd.dst_layer_desc(), engine_, dst)},
            {DNNL_ARG_SRC_ITER, memory(pd.src_iter_desc(), engine_, h_in)},
            {DNNL_ARG_DST_ITER, memory(pd.dst_iter_desc(), engine_, h_out)},
            {DNNL_ARG_WEIGHTS_LAYER, weights.layer(index, pd.weights_layer_desc(), threads, slot.stream)},
            {DNNL_ARG_WEIGHTS_ITER, weights.iter(index, pd.weights_iter_desc(), threads, slot.stream)},
            {DNNL_ARG_BIAS, weights.bias(index)}};
    if (m_.has_cell_state()) {
        args.emplace(DNNL_ARG_SRC_ITER_C, memory(pd.src_iter_c_desc(), engine_, c_in));
        args.emplace(DNNL_ARG_DST_ITER_C, memory(pd.dst_iter_c_desc(), engine_, c_out));
    }
    if (m_.has_projection())
        args.emplace(DNNL_ARG_WEIGHTS_PROJECTION, weights.projection(index, pd.weights_projection_desc(), threads, slot.stream));
    if (training_workspace) args.emplace(DNNL_ARG_WORKSPACE, *training_workspace);
    args.emplace(DNNL_ARG_SCRATCHPAD, scratchpad_for(pd, slot));
    prims.forward.execute(slot.stream, args);
    slot.stream.wait();
}

void executor::backward(training_context &ctx, const rnn_backward_args &a) {
    // The context's primitives were built for its forward pass's thread count; backward runs with the same one.
    const int threads = ctx.threads;
    openmp_threads_scope omp_threads(threads);
    workspace_pool::lease work = pool_.take();
    const batch_plan &plan = ctx.plan;
    const int64_t t_len = plan.seq_len, n = plan.batch, dh = m_.output_size();

    aligned_buffer diff_dst_buf;
    auto *diff_dst = static_cast<float *>(diff_dst_buf.ensure(sizeof(float) * size_t(t_len * n * dh)));
    if (a.grad_output) gather_sequence(a.grad_output, ctx.batch_first, plan, dh, diff_dst, dt::f32);
    else std::memset(diff_dst, 0, sizeof(float) * size_t(t_len * n * dh));

    for (int64_t layer = m_.num_layers - 1; layer >= 0; --layer) {
        const int64_t k = m_.layer_input_size(layer);
        aligned_buffer diff_src_buf[2];
        float *diff_src[2] = {nullptr, nullptr};
        for (int64_t d = 0; d < m_.directions; ++d)
            diff_src[d] = static_cast<float *>(diff_src_buf[d].zeroed(sizeof(float) * size_t(t_len * n * k)));
        for_each_direction(threads, [&](int d) { backward_direction(layer, d, ctx, a, work->slots[d], diff_dst, diff_src[d]); });
        if (m_.directions == 2)
            for (int64_t i = 0; i < t_len * n * k; ++i) diff_src[0][i] += diff_src[1][i];
        diff_dst_buf = std::move(diff_src_buf[0]);
        diff_dst = diff_src[0];
    }
    scatter_sequence(diff_dst, dt::f32, plan, m_.input_size, a.grad_input, ctx.batch_first);
    ctx.consumed = true;
    ctx.records.clear();
    ctx.layer_data.clear();
}

void executor::backward_direction(int64_t layer, int64_t dir, training_context &ctx, const rnn_backward_args &a,
        direction_slot &slot, float *diff_dst, float *diff_src) {
    const batch_plan &plan = ctx.plan;
    const int64_t index = layer * m_.directions + dir, h = m_.hidden_size, sz = m_.state_size(), n = plan.batch;
    const int64_t k = m_.layer_input_size(layer), dh = m_.output_size();
    const bool lstm = m_.has_cell_state(), projection = m_.has_projection();
    const size_t es = size_of(data_type_);
    prepared_weights &weights = *ctx.weights;

    // oneDNN accumulates weight gradients, across segments too: start from zero once per layer and direction.
    memory diff_wl(diff_weights_desc(m_, k), engine_), diff_wi(diff_weights_desc(m_, sz), engine_);
    memory diff_bias({{1, 1, m_.bias_gates(), h}, dt::f32, tag::ldgo}, engine_);
    memory diff_wp = projection ? memory(diff_projection_desc(m_), engine_) : memory();
    for (memory *mem : {&diff_wl, &diff_wi, &diff_bias, &diff_wp})
        if (*mem) std::memset(mem->get_data_handle(), 0, mem->get_desc().get_size());

    auto *cur_h = static_cast<float *>(slot.cur_h.ensure(sizeof(float) * size_t(n * sz)));
    auto *nxt_h = static_cast<float *>(slot.nxt_h.ensure(sizeof(float) * size_t(n * sz)));
    float *cur_c = lstm ? static_cast<float *>(slot.cur_c.ensure(sizeof(float) * size_t(n * h))) : nullptr;
    float *nxt_c = lstm ? static_cast<float *>(slot.nxt_c.ensure(sizeof(float) * size_t(n * h))) : nullptr;
    gather_state(a.grad_hn, index, plan, sz, cur_h, dt::f32);
    if (lstm) gather_state(a.grad_cn, index, plan, h, cur_c, dt::f32);

    char *src_base = static_cast<char *>(ctx.layer_data[size_t(layer)].data());
    char *dst_base = offset(ctx.layer_data[size_t(layer + 1)].data(), dir * sz, data_type_);
    char *diff_src_base = reinterpret_cast<char *>(diff_src);
    char *diff_dst_base = reinterpret_cast<char *>(diff_dst + dir * sz);
    auto &records = ctx.records[size_t(index)];
    const size_t count = plan.segments.size();
    // Backward walks the segments in the opposite order of the forward pass.
    for (size_t r = records.size(); r-- > 0;) {
        const time_segment &seg = plan.segments[dir == 0 ? r : count - 1 - r];
        auto &rec = records[r];
        const auto &pd = rec.primitives->backward_pd;
        const int64_t src_off = seg.t0 * n * k, dst_off = seg.t0 * n * dh;
        std::unordered_map<int, memory> args {
                {DNNL_ARG_SRC_LAYER, memory(pd.src_layer_desc(), engine_, src_base + src_off * int64_t(es))},
                {DNNL_ARG_SRC_ITER, memory(pd.src_iter_desc(), engine_, rec.h_in.data())},
                {DNNL_ARG_DST_LAYER, memory(pd.dst_layer_desc(), engine_, dst_base + dst_off * int64_t(es))},
                {DNNL_ARG_DST_ITER, memory(pd.dst_iter_desc(), engine_, rec.h_out.data())},
                {DNNL_ARG_WEIGHTS_LAYER, weights.layer(index, pd.weights_layer_desc(), ctx.threads, slot.stream)},
                {DNNL_ARG_WEIGHTS_ITER, weights.iter(index, pd.weights_iter_desc(), ctx.threads, slot.stream)},
                {DNNL_ARG_BIAS, weights.bias(index)},
                {DNNL_ARG_WORKSPACE, rec.workspace},
                {DNNL_ARG_DIFF_SRC_LAYER, memory(pd.diff_src_layer_desc(), engine_, diff_src_base + src_off * 4)},
                {DNNL_ARG_DIFF_SRC_ITER, memory(pd.diff_src_iter_desc(), engine_, nxt_h)},
                {DNNL_ARG_DIFF_DST_LAYER, memory(pd.diff_dst_layer_desc(), engine_, diff_dst_base + dst_off * 4)},
                {DNNL_ARG_DIFF_DST_ITER, memory(pd.diff_dst_iter_desc(), engine_, cur_h)},
                {DNNL_ARG_DIFF_WEIGHTS_LAYER, diff_wl},
                {DNNL_ARG_DIFF_WEIGHTS_ITER, diff_wi},
                {DNNL_ARG_DIFF_BIAS, diff_bias}};
        if (lstm) {
            args.emplace(DNNL_ARG_SRC_ITER_C, memory(pd.src_iter_c_desc(), engine_, rec.c_in.data()));
            args.emplace(DNNL_ARG_DST_ITER_C, memory(pd.dst_iter_c_desc(), engine_, rec.c_out.data()));
            args.emplace(DNNL_ARG_DIFF_SRC_ITER_C, memory(pd.diff_src_iter_c_desc(), engine_, nxt_c));
            args.emplace(DNNL_ARG_DIFF_DST_ITER_C, memory(pd.diff_dst_iter_c_desc(), engine_, cur_c));
        }
        if (projection) {
            args.emplace(DNNL_ARG_WEIGHTS_PROJECTION,
                    weights.projection(index, pd.weights_projection_desc(), ctx.threads, slot.stream));
            args.emplace(DNNL_ARG_DIFF_WEIGHTS_PROJECTION, diff_wp);
        }
        args.emplace(DNNL_ARG_SCRATCHPAD, scratchpad_for(pd, slot));
        rec.primitives->backward.execute(slot.stream, args);
        slot.stream.wait();
        std::memcpy(cur_h, nxt_h, sizeof(float) * size_t(seg.rows * sz));
        if (lstm) std::memcpy(cur_c, nxt_c, sizeof(float) * size_t(seg.rows * h));
    }
    scatter_state(cur_h, dt::f32, plan, sz, a.grad_h0, index);
    if (lstm && a.grad_c0) scatter_state(cur_c, dt::f32, plan, h, a.grad_c0, index);

    // Gradients back to PyTorch's layout: ldigo -> plain ldgoi (a reorder), then the gate order and bias split.
    const param_offsets o = offsets_of(m_, layer, dir);
    auto to_torch = [&](memory &diff, int64_t kk, int64_t at) {
        memory plain({{1, 1, kk, m_.gates(), h}, dt::f32, tag::ldgoi}, engine_);
        dnnl::reorder(diff, plain).execute(slot.stream, diff, plain);
        slot.stream.wait();
        weights_from_ldgoi(m_, kk, static_cast<const float *>(plain.get_data_handle()), a.grad_params + at);
    };
    to_torch(diff_wl, k, o.weight_ih);
    to_torch(diff_wi, sz, o.weight_hh);
    if (projection) {
        // ldio -> ldoi, which is PyTorch's W_hr (P, H) row-major.
        memory plain({{1, 1, h, m_.proj_size}, dt::f32, tag::ldoi}, engine_);
        dnnl::reorder(diff_wp, plain).execute(slot.stream, diff_wp, plain);
        slot.stream.wait();
        std::memcpy(a.grad_params + o.weight_hr, plain.get_data_handle(), sizeof(float) * size_t(m_.proj_size * h));
    }
    if (m_.has_bias)
        bias_grad_from_ldgo(m_, static_cast<const float *>(diff_bias.get_data_handle()), a.grad_params + o.bias_ih,
                a.grad_params + o.bias_hh);
}

} // namespace rnnshim
