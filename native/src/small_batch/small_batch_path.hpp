// The small-batch inference path: f32 and bf16 inference for every cell, layer count and direction, and int8 for an
// LSTM, without oneDNN's RNN primitive. A call runs on its own team of threads (worker_team.hpp), which waits between
// steps by spinning briefly rather than by OpenMP's wait policy. Each member owns a fixed range of (direction, 16-unit
// block) pairs for the whole call, so the slices of weights it streams stay in its core's cache. Per layer, a member
// first projects the input of all steps onto its blocks' gates (the only columns its steps read, so no barrier
// follows), then the team walks the steps: a member computes its blocks' part of W_hh h_{t-1}, the gate math and the
// state update, and writes its part of h_t; one barrier per step (two with a projection, whose outputs are split the
// same way) publishes h_t to the team. Every unit's sums are computed by exactly one thread in a fixed order, so a
// result does not depend on the thread count or on how many members a call got.
//
// In int8 each layer's input is quantized to u8 and projected into exact s32 sums as above, and each member quantizes
// h_{t-1} to u8 once a step for the s8 recurrent product: the int8 executor's arithmetic.
//
// Concurrent calls share only the packed weights (immutable, swapped whole by update_weights); everything a call writes
// comes from a workspace it holds alone.
#pragma once

#include "../model.hpp"
#include "../sequence_io.hpp"
#include "packed_weights.hpp"
#include "step_kernels.hpp"

#include <memory>
#include <mutex>
#include <vector>

namespace rnnshim::small_batch {

// RNN_SMALL_BATCH_AUTO's crossover, measured with each path forced (docs/small-batch.md, "Crossover"). On several
// threads oneDNN's f32 and bf16 primitive waits at every step and the path wins to batch 16. On one thread the
// primitive is level from batch 8 in f32 and from batch 4 in bf16.
constexpr int64_t auto_max_batch = 16;
constexpr int64_t auto_max_batch_one_thread_f32 = 8;
constexpr int64_t auto_max_batch_one_thread_bf16 = 4;
// int8: oneDNN's int8 primitive splits a batch into one part per thread with no step barrier and wins from batch 4 on
// one thread and batch 8 on two.
constexpr int64_t auto_max_batch_int8 = 4;
constexpr int64_t auto_max_batch_int8_one_thread = 2;
// A one-step call (a stream's step) pays the primitive's per-call set-up: the path to this batch in any precision.
constexpr int64_t auto_max_batch_one_step = 8;

// Whether a call of seq_len steps takes the small-batch path: f32 and bf16 inference only, then as the model's option
// says.
bool chosen(const model_shape &m, int64_t batch, int64_t seq_len, bool training, int threads);
// The same for an int8 LSTM's call.
bool chosen_int8(const model_shape &m, int64_t batch, int64_t seq_len, int threads);

class path {
public:
    // int8: an int8 LSTM's per-layer data quantization (packed_weights.hpp); empty for f32 and bf16.
    path(const model_shape &m, const float *params, const std::vector<int8_data_qparams> &int8 = {});

    void update_weights(const float *params);
    // args validated by the caller (api.cpp); threads > 0.
    void forward(const rnn_forward_args &args, int threads);
    const char *isa() const { return kernels_.isa; }

private:
    struct workspace {
        aligned_buffer gx, layer_out[2], h[2], c, r, rows, pointers, lengths, pairs, input_words, input_rows, input_out;
    };
    class workspace_lease;

    void run_layer(int64_t layer, const packed_weights &w, const rnn_forward_args &a, const float *in, bool in_batch_first,
            float *out, bool out_batch_first, class worker_team &team, workspace &ws, const int32_t *lengths,
            int64_t steps);

    model_shape m_;
    const step_kernels &kernels_;
    std::vector<int8_data_qparams> int8_;
    std::shared_ptr<const packed_weights> weights_; // read and swapped with std::atomic_load / atomic_store
    std::mutex pool_mutex_;
    std::vector<std::unique_ptr<workspace>> pool_;
};

} // namespace rnnshim::small_batch
