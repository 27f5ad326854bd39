// One prepared model: weights converted once, primitives cached per segment shape, scratch reused across calls.
//
// Any number of threads may call one executor at once. What they share is read-only once built: the weights (swapped
// whole by update_weights) and the primitives (a primitive object may run on several threads at once because its
// scratchpad is user-provided: every call passes its own, with its own memory objects). Everything a call mutates
// comes from a workspace_pool lease held for that call alone. The weights cache takes a reader lock to look up and a
// writer lock only to insert; the primitive cache (bounded, least recently used) locks itself for lookups too, as a
// lookup reorders it. Each call runs its own OpenMP team of `threads` threads (OpenMP settings belong to the calling
// thread, which gets its own count back when the call returns), so K callers x T threads should not exceed the cores.
#pragma once

#include "executor_tuning.hpp"
#include "model.hpp"
#include "prepared_weights.hpp"
#include "primitive_cache.hpp"
#include "segment_primitives.hpp"
#include "small_batch/small_batch_path.hpp"
#include "sequence_io.hpp"
#include "time_segments.hpp"
#include "workspace_pool.hpp"

#include <oneapi/dnnl/dnnl.hpp>

#include <memory>
#include <vector>

namespace rnnshim {

class executor;

// What one training forward pass keeps for its backward pass.
struct training_context {
    struct segment_record {
        std::shared_ptr<segment_primitives> primitives;
        aligned_buffer h_in, c_in, h_out, c_out;
        dnnl::memory workspace;
    };

    const void *owner = nullptr; // the handle of the executor that ran the forward pass
    batch_plan plan;
    bool batch_first = false;
    bool consumed = false;
    int threads = 1; // the forward pass's OpenMP thread count; its backward pass uses the same

    std::shared_ptr<prepared_weights> weights;
    // layer_data[0]: the input, layer_data[l + 1]: layer l's output; time-major, sorted, the executor's data type.
    std::vector<aligned_buffer> layer_data;
    // Per layer * directions + direction, in execution order.
    std::vector<std::vector<segment_record>> records;
};

class executor {
public:
    executor(const model_shape &m, const executor_tuning &tuning, const float *params);

    const model_shape &shape() const { return m_; }
    void update_weights(const float *params);
    // args are validated by the caller (api.cpp); context is filled when training. threads > 0.
    void forward(const rnn_forward_args &args, const batch_plan &plan, int threads, training_context *context);
    void backward(training_context &context, const rnn_backward_args &args);
    // Workspaces made so far: the peak number of calls that ran at once.
    size_t workspaces_created() const { return pool_.created(); }

private:
    // Where a strided (T, N, C) tensor starts for one direction: base already offset to its channel half.
    struct sequence_view {
        char *base;
        int64_t stride_t, stride_n;
    };
    using direction_slot = call_workspace::direction_slot;

    std::shared_ptr<segment_primitives> primitives_for(const segment_shape &s);
    // Layer-major: every layer over all T steps before the next (training, and bidirectional stacks).
    void forward_direction(int64_t layer, int64_t dir, const sequence_view &src, const sequence_view &dst,
            const batch_plan &plan, const rnn_forward_args &args, int threads, prepared_weights &weights,
            direction_slot &slot, training_context *context);
    // Chunk-major: for each chunk of at most tuning_.chunk_steps steps, every layer in turn (unidirectional inference).
    void forward_chunked(const sequence_view &src, const sequence_view &dst, const batch_plan &plan,
            const rnn_forward_args &args, int threads, prepared_weights &weights, call_workspace &work);
    // One primitive run over a view of `steps` x `rows` starting at src / dst; the states are rows-wide buffers.
    void execute_forward(const segment_primitives &prims, int64_t index, char *src, char *dst, void *h_in, void *h_out,
            void *c_in, void *c_out, const dnnl::memory *training_workspace, int threads, prepared_weights &weights,
            direction_slot &slot);
    void backward_direction(int64_t layer, int64_t dir, training_context &ctx, const rnn_backward_args &args,
            direction_slot &slot, float *diff_dst, float *diff_src);
    template <class Body> void for_each_direction(int threads, Body &&body);
    dnnl::memory scratchpad_for(const dnnl::primitive_desc_base &pd, direction_slot &slot);
    std::shared_ptr<prepared_weights> current_weights() const;

    model_shape m_;
    executor_tuning tuning_;
    dnnl::engine engine_;
    dnnl::memory::data_type data_type_;
    std::shared_ptr<prepared_weights> weights_; // read and swapped with std::atomic_load / atomic_store
    primitive_cache<segment_shape, segment_primitives> cache_;
    workspace_pool pool_;
    std::unique_ptr<small_batch::path> small_batch_; // null when no call can take the small-batch path
};

} // namespace rnnshim
