#include "executor_tuning.hpp"

#include "error.hpp"

#include <string>

namespace rnnshim {

namespace {

// Unidirectional inference runs chunk-major: each layer at most this many steps at a time, then the next layer over the
// same steps. A call's workspace then holds one chunk of activations between layers (not T steps), and oneDNN's
// scratchpad, which grows with a primitive's steps (about 1 MiB a step for a 512-wide LSTM at batch 64), one chunk's
// worth: both stop growing with seq_len. Fewer steps per primitive shrink its input GEMM and add a primitive run per
// chunk and layer: 32 steps measured within run-to-run noise of layer-major on lstm-infer (T = 100) with 1 and 2
// callers; 4 steps left lstm-infer f32 within noise too but cost rnn-infer 15-18 % and bf16 lstm-infer 5-20 %, for a
// workspace of about 0.25 MiB less per step (batch 64, 512 wide).
constexpr int64_t default_chunk_steps = 32;
constexpr int64_t max_chunk_steps = int64_t(1) << 20;

// The primitives an f32/bf16 executor keeps. The shapes in steady use (full batches) stay and the one-off ones go
// first; each primitive holds a few hundred KiB, so the bound is most of what an executor's memory grows by as shapes
// come and go. Measured on rnn predict: 32 rather than 128 took peak RSS over 500,000 short records from 138-144 to
// 107 MiB, while the batch-inference workload (2-layer LSTM classifier) and a bidirectional GRU tagger over
// long-tailed lengths stayed within run-to-run noise.
constexpr size_t default_f32_capacity = 32;
// More for int8: a call's per-thread parts multiply the shapes a batch uses, and 32 cost 8-11 % of rnn predict's int8
// throughput on the batch-inference workload.
constexpr size_t default_int8_capacity = 128;
constexpr int64_t max_capacity = 65536;

void check_choice(const char *name, int32_t v, const char *meaning) {
    if (v < -1 || v > 1)
        invalid(std::string(name) + " must be 0 (default), 1 (" + meaning + ") or -1 (never); got " + std::to_string(v));
}

} // namespace

executor_tuning tuning_of(const rnn_model_desc &d, executor_kind kind) {
    if (d.chunk_steps < -1 || d.chunk_steps > max_chunk_steps)
        invalid("chunk_steps must be 0 (default, " + std::to_string(default_chunk_steps) + "), -1 (none: layer-major) or 1 to " +
                std::to_string(max_chunk_steps) + "; got " + std::to_string(d.chunk_steps));
    check_choice("parallel_directions", d.parallel_directions, "always");
    check_choice("int8_batch_split", d.int8_batch_split, "split");
    if (d.primitive_cache_capacity < 0 || d.primitive_cache_capacity > max_capacity)
        invalid("primitive_cache_capacity must be 0 (default) or 1 to " + std::to_string(max_capacity) + "; got " +
                std::to_string(d.primitive_cache_capacity));

    executor_tuning t;
    t.chunk_steps = d.chunk_steps == 0 ? default_chunk_steps : d.chunk_steps < 0 ? 0 : d.chunk_steps;
    t.parallel_directions = d.parallel_directions;
    t.int8_batch_split = d.int8_batch_split >= 0;
    t.primitive_cache_capacity = d.primitive_cache_capacity > 0 ? size_t(d.primitive_cache_capacity)
            : kind == executor_kind::int8                        ? default_int8_capacity
                                                                 : default_f32_capacity;
    return t;
}

} // namespace rnnshim
