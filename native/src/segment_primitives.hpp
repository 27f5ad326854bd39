// The oneDNN primitives for one layer, one direction and one time segment shape: forward (inference, or training
// with its backward twin). Data tensors are strided views, so the same primitive serves any segment start offset.
#pragma once

#include "model.hpp"

#include <oneapi/dnnl/dnnl.hpp>

namespace rnnshim {

struct segment_shape {
    int64_t layer, direction, steps, rows;
    bool training;
    // Element strides (time, batch) of the layer input and output tensors the views live in.
    int64_t src_stride_t, src_stride_n, dst_stride_t, dst_stride_n;
    // oneDNN sizes a primitive's scratchpad and work split for the thread count it was created with.
    int threads;

    bool operator<(const segment_shape &o) const;
};

struct segment_primitives {
    dnnl::rnn_primitive_desc_base forward_pd;
    dnnl::primitive forward;
    dnnl::rnn_primitive_desc_base backward_pd; // training only
    dnnl::primitive backward;
};

segment_primitives make_segment_primitives(const model_shape &m, const dnnl::engine &engine, const segment_shape &s);

// Diff weights come out in these plain layouts so that every segment accumulates into one buffer.
dnnl::memory::desc diff_weights_desc(const model_shape &m, int64_t input_channels);
// The projection's diff weights {1, 1, H, P}: oneDNN 2.6's backward takes ldio only.
dnnl::memory::desc diff_projection_desc(const model_shape &m);

dnnl::memory::data_type data_type_of(const model_shape &m);

} // namespace rnnshim
