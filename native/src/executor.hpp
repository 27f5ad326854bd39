// One prepared model: weights converted once, primitives cached per segment shape, scratch reused across calls.
//
// Calls on one executor are serialized by a mutex: oneDNN forbids executing one primitive object from two threads at
// once, and every call already uses all of the executor's threads, so concurrent callers queue rather than oversubscribe.
// Different executors run in parallel.
#pragma once

#include "model.hpp"
#include "prepared_weights.hpp"
#include "segment_primitives.hpp"
#include "sequence_io.hpp"
#include "time_segments.hpp"

#include <oneapi/dnnl/dnnl.hpp>

#include <map>
#include <memory>
#include <mutex>
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
    std::shared_ptr<prepared_weights> weights;
    // layer_data[0]: the input, layer_data[l + 1]: layer l's output; time-major, sorted, the executor's data type.
    std::vector<aligned_buffer> layer_data;
    // Per layer * directions + direction, in execution order.
    std::vector<std::vector<segment_record>> records;
};

class executor {
public:
    executor(const model_shape &m, const float *params);

    const model_shape &shape() const { return m_; }
    void update_weights(const float *params);
    // args are validated by the caller (api.cpp); context is filled when training.
    void forward(const rnn_forward_args &args, const batch_plan &plan, training_context *context);
    void backward(training_context &context, const rnn_backward_args &args);

private:
    // Where a strided (T, N, C) tensor starts for one direction: base already offset to its channel half.
    struct sequence_view {
        char *base;
        int64_t stride_t, stride_n;
    };
    // Per-direction resources, so the two directions of a layer can run at once.
    struct direction_slot {
        dnnl::stream stream;
        aligned_buffer cur_h, nxt_h, cur_c, nxt_c, scratchpad;
    };

    std::shared_ptr<segment_primitives> primitives_for(const segment_shape &s);
    void forward_direction(int64_t layer, int64_t dir, const sequence_view &src, const sequence_view &dst,
            const batch_plan &plan, const rnn_forward_args &args, prepared_weights &weights, training_context *context);
    void backward_direction(int64_t layer, int64_t dir, training_context &ctx, const rnn_backward_args &args,
            float *diff_dst, float *diff_src);
    template <class Body> void for_each_direction(Body &&body);
    dnnl::memory scratchpad_for(const dnnl::primitive_desc_base &pd, direction_slot &slot);

    model_shape m_;
    dnnl::engine engine_;
    dnnl::memory::data_type data_type_;
    bool parallel_directions_;
    std::mutex call_mutex_;
    std::mutex cache_mutex_;
    std::shared_ptr<prepared_weights> weights_;
    std::map<segment_shape, std::shared_ptr<segment_primitives>> cache_;
    direction_slot slots_[2];
    aligned_buffer input_work_, layer_work_[2];
};

} // namespace rnnshim
