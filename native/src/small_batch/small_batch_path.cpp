#include "small_batch_path.hpp"

#include "../error.hpp"
#include "../openmp_threads_scope.hpp"
#include "../quantization.hpp"
#include "step_barrier.hpp"
#include "worker_team.hpp"

#include <atomic>

#include <algorithm>
#include <cstring>
#include <string>

namespace rnnshim::small_batch {

bool chosen(const model_shape &m, int64_t batch, int64_t seq_len, bool training, int threads) {
    if (training || (m.precision != RNN_PRECISION_F32 && m.precision != RNN_PRECISION_BF16)) return false;
    switch (m.small_batch_path) {
        case RNN_SMALL_BATCH_ALWAYS: return true;
        case RNN_SMALL_BATCH_NEVER: return false;
        default:
            if (seq_len == 1 && batch <= auto_max_batch_one_step) return true;
            if (threads > 1) return batch <= auto_max_batch;
            return batch <= (m.precision == RNN_PRECISION_BF16 ? auto_max_batch_one_thread_bf16 : auto_max_batch_one_thread_f32);
    }
}

bool chosen_int8(const model_shape &m, int64_t batch, int64_t seq_len, int threads) {
    switch (m.small_batch_path) {
        case RNN_SMALL_BATCH_ALWAYS: return true;
        case RNN_SMALL_BATCH_NEVER: return false;
        default:
            if (seq_len == 1 && batch <= auto_max_batch_one_step) return true;
            return batch <= (threads == 1 ? auto_max_batch_int8_one_thread : auto_max_batch_int8);
    }
}

// A workspace held by one call from its start to its end; the pool keeps as many as calls ever ran at once.
class path::workspace_lease {
public:
    explicit workspace_lease(path &owner) : owner_(owner) {
        {
            std::lock_guard<std::mutex> lock(owner_.pool_mutex_);
            if (!owner_.pool_.empty()) {
                ws_ = std::move(owner_.pool_.back());
                owner_.pool_.pop_back();
            }
        }
        if (!ws_) ws_ = std::make_unique<workspace>();
    }
    ~workspace_lease() {
        std::lock_guard<std::mutex> lock(owner_.pool_mutex_);
        try {
            owner_.pool_.push_back(std::move(ws_));
        } catch (...) {
            // Out of memory growing the free list: this workspace is dropped; the next call makes another.
        }
    }
    workspace &operator*() const { return *ws_; }

private:
    path &owner_;
    std::unique_ptr<workspace> ws_;
};

path::path(const model_shape &m, const float *params, const std::vector<int8_data_qparams> &int8)
    : m_(m), kernels_(kernels_for_cpu()), int8_(int8),
      weights_(std::make_shared<const packed_weights>(m, params, kernels_.bf16_pairs, int8_)) {
    // s32 sums of u8 x s8 products stay exact while a gate's inputs number fewer than 2^31 / (255 x 128).
    if (!int8_.empty() && std::max(m.input_size, m.directions * m.state_size()) + m.state_size() > (int64_t(1) << 31) / (255 * 128))
        fail(RNN_STATUS_UNSUPPORTED, "int8 small-batch path: input_size + hidden_size is too large for exact s32 sums; "
                "use small_batch_path = never");
}

void path::update_weights(const float *params) {
    // Calls already running keep the version they started with.
    std::atomic_store(&weights_, std::shared_ptr<const packed_weights>(std::make_shared<const packed_weights>(m_, params, kernels_.bf16_pairs, int8_)));
}

void path::forward(const rnn_forward_args &a, int threads) {
    const std::shared_ptr<const packed_weights> w = std::atomic_load(&weights_);
    workspace_lease lease(*this);
    workspace &ws = *lease;
    const int64_t t_len = a.seq_len, n = a.batch, dout = m_.output_size();

    auto *lengths = static_cast<int32_t *>(ws.lengths.ensure(sizeof(int32_t) * size_t(n)));
    int64_t steps = 0;
    bool full = true;
    for (int64_t i = 0; i < n; ++i) {
        lengths[i] = a.lengths ? a.lengths[i] : int32_t(t_len);
        steps = std::max<int64_t>(steps, lengths[i]);
        full = full && lengths[i] == t_len;
    }
    // Only live steps are written; the output reads 0 at every padded one.
    if (!full) std::memset(a.output, 0, sizeof(float) * size_t(t_len * n * dout));

    // The call's members run oneDNN's GEMM on slices each, on their own thread; the caller's count comes back after.
    openmp_threads_scope one_thread(1);
    worker_team team(threads);
    const float *in = a.input;
    bool in_batch_first = a.batch_first != 0;
    for (int64_t l = 0; l < m_.num_layers; ++l) {
        const bool last = l == m_.num_layers - 1;
        // Between layers the activations stay time-major; the last layer writes the caller's output in its layout.
        float *out = last ? a.output
                          : static_cast<float *>(ws.layer_out[l % 2].ensure(sizeof(float) * size_t(t_len * n * dout)));
        const bool out_batch_first = last && a.batch_first != 0;
        run_layer(l, *w, a, in, in_batch_first, out, out_batch_first, team, ws, lengths, steps);
        in = out;
        in_batch_first = out_batch_first;
    }
}

void path::run_layer(int64_t l, const packed_weights &w, const rnn_forward_args &a, const float *in, bool in_batch_first,
        float *out, bool out_batch_first, worker_team &team, workspace &ws, const int32_t *lengths,
        int64_t steps) {
    const packed_layer &pl = w.layer(l);
    const int64_t t_len = a.seq_len, n_rows = a.batch, d_count = m_.directions, g_count = m_.gates();
    const int64_t h = m_.hidden_size, s = m_.state_size(), hp = w.padded_hidden(), sp = w.padded_state();
    const int64_t cols = d_count * g_count * hp, dout = m_.output_size(), blocks = hp / block;
    const bool lstm = m_.has_cell_state(), gru = m_.cell == RNN_CELL_GRU, projection = m_.has_projection();
    const int64_t proj_blocks = projection ? sp / block : 0;

    // Both directions' input projections for every step: (T N) x (D G Hp), rows in the input's own order.
    const int64_t gx_count = checked_mul(checked_mul(t_len, n_rows, "input projection"), cols, "input projection");
    auto *gx = static_cast<float *>(ws.gx.ensure(sizeof(float) * size_t(checked_mul(gx_count, 4, "input projection") / 4)));
    float *hb[2] = {static_cast<float *>(ws.h[0].zeroed(sizeof(float) * size_t(d_count * n_rows * sp))),
            static_cast<float *>(ws.h[1].zeroed(sizeof(float) * size_t(d_count * n_rows * sp)))};
    float *c = lstm ? static_cast<float *>(ws.c.zeroed(sizeof(float) * size_t(d_count * n_rows * hp))) : nullptr;
    float *r = projection ? static_cast<float *>(ws.r.zeroed(sizeof(float) * size_t(d_count * n_rows * hp))) : nullptr;
    for (int64_t d = 0; d < d_count; ++d)
        for (int64_t n = 0; n < n_rows; ++n) {
            const int64_t state_row = (l * d_count + d) * n_rows + n;
            if (a.h0) std::memcpy(hb[0] + (d * n_rows + n) * sp, a.h0 + state_row * s, sizeof(float) * size_t(s));
            if (lstm && a.c0) std::memcpy(c + (d * n_rows + n) * hp, a.c0 + state_row * h, sizeof(float) * size_t(h));
        }

    const int64_t members = team.members();
    auto *rows_all = static_cast<row_step *>(ws.rows.ensure(sizeof(row_step) * size_t(members * n_rows)));
    auto *pointers_all = static_cast<float **>(ws.pointers.ensure(sizeof(float *) * size_t(2 * members * n_rows)));
    const cell_kernels &set = w.bf16() ? kernels_.bf16 : kernels_.f32;
    const bool int8 = w.int8(); // an LSTM without projection (the int8 executor refuses the rest)
    void (*cell)(const block_step &) = int8 ? kernels_.int8_lstm
            : lstm                         ? set.lstm
            : gru                          ? set.gru
            : m_.cell == RNN_CELL_RELU     ? set.rnn_relu
                                           : set.rnn_tanh;
    void (*project)(const projection_step &) = set.projection;
    // Recurrent weights as bytes: a block's slice starts at an element offset times the stored element's size.
    const auto *w_hh = static_cast<const char *>(pl.w_hh.data());
    const auto *w_hr = projection ? static_cast<const char *>(pl.w_hr.data()) : nullptr;
    // The pair kernels read h as bfloat16 pairs: each member converts every row's h_prev once a step.
    const bool pairs = w.bf16() && kernels_.bf16_pairs;
    const int64_t k_pairs = (s + 1) / 2;
    // The int8 kernels read h as u8 quads, likewise made by each member once a step.
    const int64_t k_words = pairs ? k_pairs : int8 ? (s + 3) / 4 : 0;
    auto *words_all = k_words > 0 ? static_cast<uint32_t *>(ws.pairs.ensure(sizeof(uint32_t) * size_t(members * d_count * n_rows * k_words)))
                                  : nullptr;
    const float *bias = static_cast<const float *>(pl.bias.data());
    const float *deq = int8 ? static_cast<const float *>(pl.deq.data()) : nullptr;
    const int8_data_qparams q = int8 ? w.data_q(l) : int8_data_qparams{};
    // int8: gx holds s32 sums in place of floats (the same size).
    auto *gx_q = reinterpret_cast<int32_t *>(gx);
    const float *bias_hn = gru ? static_cast<const float *>(pl.bias_hn.data()) : nullptr;

    auto time_of = [&](int64_t d, int64_t n, int64_t step) { return d == 0 ? step : lengths[n] - 1 - step; };
    auto in_row = [&](int64_t t, int64_t n) { return in_batch_first ? n * t_len + t : t * n_rows + n; };
    auto out_at = [&](int64_t t, int64_t n, int64_t d) {
        return out + (out_batch_first ? n * t_len + t : t * n_rows + n) * dout + d * s;
    };

    // The input projection: each member computes the columns of its own blocks (the only ones its steps read) for every
    // row, with the step kernels' product over W_ih packed as W_hh, so a block's weights stay in the core's cache across
    // all rows, nothing is packed per call (a GEMM call packs all of W_ih again for every slice of rows, which costs
    // more than a small batch's whole projection), no barrier follows, and each element is summed by one thread in a
    // fixed order. The input rows are prepared once by the calling thread in the kernel's form: floats as they are,
    // bfloat16 pairs for the pair kernels, u8 quads in int8 (exact s32 sums).
    const int64_t gemm_rows = t_len * n_rows, k_in = pl.input_size;
    void (*project_input)(const input_step &) = g_count == 4 ? kernels_.input_lstm : g_count == 3 ? kernels_.input_gru : kernels_.input_rnn;
    void (*project_pairs)(const input_pairs_step &) = g_count == 4 ? kernels_.input_pairs_lstm
            : g_count == 3                                          ? kernels_.input_pairs_gru
                                                                    : kernels_.input_pairs_rnn;
    const bool float_input = !int8 && !pairs;
    auto *in_rows = float_input ? static_cast<const float **>(ws.input_rows.ensure(sizeof(float *) * size_t(gemm_rows))) : nullptr;
    auto *in_word_rows = float_input ? nullptr : static_cast<const uint32_t **>(ws.input_rows.ensure(sizeof(uint32_t *) * size_t(gemm_rows)));
    if (float_input) {
        for (int64_t r = 0; r < gemm_rows; ++r) in_rows[r] = in + r * k_in;
    } else {
        const int64_t in_words = pairs ? (k_in + 1) / 2 : (k_in + 3) / 4;
        auto *words = static_cast<uint32_t *>(ws.input_words.ensure(sizeof(uint32_t) * size_t(checked_mul(gemm_rows, in_words, "input"))));
        for (int64_t r = 0; r < gemm_rows; ++r) {
            uint32_t *row = words + r * in_words;
            if (pairs) {
                kernels_.to_pairs(in + r * k_in, k_in, row);
            } else {
                row[in_words - 1] = 0; // the bytes past k_in meet zero weights
                quantize_u8(in + r * k_in, k_in, q.scale, q.shift, reinterpret_cast<uint8_t *>(row));
            }
            in_word_rows[r] = row;
        }
    }
    auto *gx_rows_all = int8 ? nullptr : static_cast<float **>(ws.input_out.ensure(sizeof(float *) * size_t(checked_mul(members, gemm_rows, "input"))));
    auto *gx_q_rows_all = int8 ? static_cast<int32_t **>(ws.input_out.ensure(sizeof(int32_t *) * size_t(checked_mul(members, gemm_rows, "input")))) : nullptr;
    const auto *w_ih = static_cast<const char *>(pl.w_ih.data());
    step_barrier barrier{int(members)};

    auto member_job = [&](int64_t me, int64_t team_size) {
        // The (direction, block) items whose input projection this member computes: those its steps run (below).
        const int64_t all_items = d_count * blocks;
        const int64_t my_first = team_size == 1 ? 0 : me * all_items / team_size;
        const int64_t my_end = team_size == 1 ? all_items : (me + 1) * all_items / team_size;
        for (int64_t item = my_first; item < my_end; ++item) {
            const int64_t column = (item / blocks) * g_count * hp + (item % blocks) * block;
            const char *w = w_ih + item * pl.ih_block_bytes;
            if (int8) {
                int32_t **out_rows = gx_q_rows_all + me * gemm_rows;
                for (int64_t r = 0; r < gemm_rows; ++r) out_rows[r] = gx_q + r * cols + column;
                kernels_.int8_lstm_input({w, k_in, hp, in_word_rows, out_rows, gemm_rows});
            } else {
                float **out_rows = gx_rows_all + me * gemm_rows;
                for (int64_t r = 0; r < gemm_rows; ++r) out_rows[r] = gx + r * cols + column;
                if (pairs)
                    project_pairs({w, k_in, hp, in_word_rows, out_rows, gemm_rows});
                else
                    project_input({w, k_in, hp, in_rows, out_rows, gemm_rows});
            }
        }

        // A fixed share of (direction, block) pairs for the whole call: the same weights every step.
        const int64_t items = d_count * blocks, p_items = d_count * proj_blocks;
        row_step *rows = rows_all + me * n_rows;
        const float **p_in = const_cast<const float **>(pointers_all + 2 * me * n_rows);
        float **p_out = pointers_all + (2 * me + 1) * n_rows;
        // One thread runs a bidirectional layer one direction after the other: a step then streams one direction's
        // weights, not both (half the bytes that must stay cached). A team walks both directions in the same steps.
        const int64_t passes = team_size == 1 ? d_count : 1;
        for (int64_t pass = 0; pass < passes; ++pass) {
        const int64_t first = passes > 1 ? pass * blocks : me * items / team_size;
        const int64_t end = passes > 1 ? (pass + 1) * blocks : (me + 1) * items / team_size;
        const int64_t p_first = passes > 1 ? pass * proj_blocks : me * p_items / team_size;
        const int64_t p_end = passes > 1 ? (pass + 1) * proj_blocks : (me + 1) * p_items / team_size;

        uint32_t *my_words = words_all ? words_all + me * d_count * n_rows * k_words : nullptr;
        for (int64_t step = 0; step < steps; ++step) {
            const float *h_prev = hb[step % 2];
            float *h_next = hb[(step + 1) % 2];
            if (my_words && first < end)
                for (int64_t d = first / blocks; d <= (end - 1) / blocks; ++d)
                    for (int64_t n = 0; n < n_rows; ++n) {
                        if (step >= lengths[n]) continue;
                        const float *hrow = h_prev + (d * n_rows + n) * sp;
                        uint32_t *words = my_words + (d * n_rows + n) * k_words;
                        if (pairs) {
                            kernels_.to_pairs(hrow, s, words);
                        } else {
                            words[k_words - 1] = 0; // the bytes past s meet zero weights
                            quantize_u8(hrow, s, q.scale, q.shift, reinterpret_cast<uint8_t *>(words));
                        }
                    }
            for (int64_t item = first; item < end; ++item) {
                const int64_t d = item / blocks, b = item % blocks, u0 = b * block;
                int64_t count = 0;
                for (int64_t n = 0; n < n_rows; ++n) {
                    const float *hrow = h_prev + (d * n_rows + n) * sp;
                    float *hnext = h_next + (d * n_rows + n) * sp;
                    if (step >= lengths[n]) {
                        // A finished row keeps its state; under a projection the projection step carries it.
                        if (!projection) std::memcpy(hnext + u0, hrow + u0, sizeof(float) * block);
                        continue;
                    }
                    const int64_t t = time_of(d, n, step);
                    const int64_t gx_at = in_row(t, n) * cols + d * g_count * hp + u0;
                    const uint32_t *words = my_words ? my_words + (d * n_rows + n) * k_words : nullptr;
                    rows[count++] = {hrow, gx + gx_at, lstm ? c + (d * n_rows + n) * hp + u0 : nullptr, hrow + u0,
                            projection ? r + (d * n_rows + n) * hp + u0 : hnext + u0, pairs ? words : nullptr,
                            int8 ? words : nullptr, int8 ? gx_q + gx_at : nullptr};
                }
                if (count > 0)
                    cell({w_hh + (d * blocks + b) * w.hh_block_bytes(), s, hp, bias + d * g_count * hp + u0,
                            gru ? bias_hn + d * hp + u0 : nullptr, int8 ? deq + d * g_count * hp + u0 : nullptr, rows,
                            count});
                const int64_t width = std::min<int64_t>(block, s - u0);
                if (projection || width <= 0) continue;
                for (int64_t n = 0; n < n_rows; ++n)
                    if (step < lengths[n])
                        std::memcpy(out_at(time_of(d, n, step), n, d) + u0, h_next + (d * n_rows + n) * sp + u0,
                                sizeof(float) * size_t(width));
            }
            if (projection) {
                barrier.arrive_and_wait();
                for (int64_t item = p_first; item < p_end; ++item) {
                    const int64_t d = item / proj_blocks, p0 = (item % proj_blocks) * block;
                    int64_t count = 0;
                    for (int64_t n = 0; n < n_rows; ++n) {
                        float *hnext = h_next + (d * n_rows + n) * sp;
                        if (step >= lengths[n]) {
                            std::memcpy(hnext + p0, h_prev + (d * n_rows + n) * sp + p0, sizeof(float) * block);
                            continue;
                        }
                        p_in[count] = r + (d * n_rows + n) * hp;
                        p_out[count++] = hnext + p0;
                    }
                    if (count > 0) project({w_hr + (d * proj_blocks + item % proj_blocks) * w.hr_block_bytes(), h, p_in, p_out, count});
                    const int64_t width = std::min<int64_t>(block, s - p0);
                    for (int64_t n = 0; n < n_rows; ++n)
                        if (step < lengths[n])
                            std::memcpy(out_at(time_of(d, n, step), n, d) + p0, h_next + (d * n_rows + n) * sp + p0,
                                    sizeof(float) * size_t(width));
                }
            }
            barrier.arrive_and_wait();
        }
        }
    };
    team.run(member_job);

    const float *final_h = hb[steps % 2];
    for (int64_t d = 0; d < d_count; ++d)
        for (int64_t n = 0; n < n_rows; ++n) {
            const int64_t state_row = (l * d_count + d) * n_rows + n;
            std::memcpy(a.hn + state_row * s, final_h + (d * n_rows + n) * sp, sizeof(float) * size_t(s));
            if (lstm && a.cn) std::memcpy(a.cn + state_row * h, c + (d * n_rows + n) * hp, sizeof(float) * size_t(h));
        }
}

} // namespace rnnshim::small_batch
