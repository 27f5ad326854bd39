#include "segment_primitives.hpp"

#include <tuple>

namespace rnnshim {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

bool segment_shape::operator<(const segment_shape &o) const {
    return std::tie(layer, direction, steps, rows, training, src_stride_t, src_stride_n, dst_stride_t, dst_stride_n,
                   threads) <
            std::tie(o.layer, o.direction, o.steps, o.rows, o.training, o.src_stride_t, o.src_stride_n, o.dst_stride_t,
                    o.dst_stride_n, o.threads);
}

dt data_type_of(const model_shape &m) { return m.precision == RNN_PRECISION_BF16 ? dt::bf16 : dt::f32; }

memory::desc diff_weights_desc(const model_shape &m, int64_t k) {
    return memory::desc({1, 1, k, m.gates(), m.hidden_size}, dt::f32, tag::ldigo);
}

memory::desc diff_projection_desc(const model_shape &m) {
    return memory::desc({1, 1, m.hidden_size, m.proj_size}, dt::f32, tag::ldio);
}

namespace {

struct descs {
    // weights_projection stays a zero desc without a projection; weights_peephole is always one (PyTorch has none).
    memory::desc src_layer, src_iter, src_iter_c, weights_layer, weights_iter, weights_peephole, weights_projection, bias,
            dst_layer, dst_iter, dst_iter_c;
};

descs make_descs(const model_shape &m, const segment_shape &s, dt type, bool diff) {
    // h states and the layer output are S = state_size() wide (the projection's P, or H); c states and gates are H wide.
    const int64_t k = m.layer_input_size(s.layer), h = m.hidden_size, sz = m.state_size();
    const dt data = diff ? dt::f32 : type;
    descs d;
    d.src_layer = memory::desc({s.steps, s.rows, k}, data, {s.src_stride_t, s.src_stride_n, 1});
    d.dst_layer = memory::desc({s.steps, s.rows, sz}, data, {s.dst_stride_t, s.dst_stride_n, 1});
    d.src_iter = memory::desc({1, 1, s.rows, sz}, data, tag::ldnc);
    d.dst_iter = d.src_iter;
    if (m.has_cell_state()) {
        d.src_iter_c = memory::desc({1, 1, s.rows, h}, dt::f32, tag::ldnc);
        d.dst_iter_c = d.src_iter_c;
    }
    if (diff) {
        d.weights_layer = diff_weights_desc(m, k);
        d.weights_iter = diff_weights_desc(m, sz);
        if (m.has_projection()) d.weights_projection = diff_projection_desc(m);
    } else {
        d.weights_layer = memory::desc({1, 1, k, m.gates(), h}, type, tag::any);
        d.weights_iter = memory::desc({1, 1, sz, m.gates(), h}, type, tag::any);
        if (m.has_projection()) d.weights_projection = memory::desc({1, 1, h, m.proj_size}, type, tag::any);
    }
    d.bias = memory::desc({1, 1, m.bias_gates(), h}, dt::f32, tag::ldgo);
    return d;
}

template <class Forward, class Backward, class MakeForward, class MakeBackward>
segment_primitives build(const dnnl::engine &engine, bool training, MakeForward make_forward, MakeBackward make_backward) {
    // Scratch memory comes from the executor on each call: a primitive then holds no mutable state of its own, whichever
    // thread (and OpenMP team) runs it.
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    segment_primitives p;
    typename Forward::primitive_desc fpd(make_forward(), attr, engine);
    p.forward_pd = fpd;
    p.forward = Forward(fpd);
    if (training) {
        typename Backward::primitive_desc bpd(make_backward(), attr, engine, fpd);
        p.backward_pd = bpd;
        p.backward = Backward(bpd);
    }
    return p;
}

} // namespace

segment_primitives make_segment_primitives(const model_shape &m, const dnnl::engine &engine, const segment_shape &s) {
    const auto pk = s.training ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference;
    const auto bk = dnnl::prop_kind::backward;
    const auto dir = s.direction == 0 ? dnnl::rnn_direction::unidirectional_left2right
                                      : dnnl::rnn_direction::unidirectional_right2left;
    const descs f = make_descs(m, s, data_type_of(m), false);
    const descs b = make_descs(m, s, data_type_of(m), true);
    switch (m.cell) {
        case RNN_CELL_LSTM:
            if (m.has_projection())
                return build<dnnl::lstm_forward, dnnl::lstm_backward>(engine, s.training,
                        [&] {
                            return dnnl::lstm_forward::desc(pk, dir, f.src_layer, f.src_iter, f.src_iter_c,
                                    f.weights_layer, f.weights_iter, f.weights_peephole, f.weights_projection, f.bias,
                                    f.dst_layer, f.dst_iter, f.dst_iter_c);
                        },
                        [&] {
                            return dnnl::lstm_backward::desc(bk, dir, f.src_layer, f.src_iter, f.src_iter_c,
                                    f.weights_layer, f.weights_iter, f.weights_peephole, f.weights_projection, f.bias,
                                    f.dst_layer, f.dst_iter, f.dst_iter_c, b.src_layer, b.src_iter, b.src_iter_c,
                                    b.weights_layer, b.weights_iter, b.weights_peephole, b.weights_projection, b.bias,
                                    b.dst_layer, b.dst_iter, b.dst_iter_c);
                        });
            return build<dnnl::lstm_forward, dnnl::lstm_backward>(engine, s.training,
                    [&] {
                        return dnnl::lstm_forward::desc(pk, dir, f.src_layer, f.src_iter, f.src_iter_c, f.weights_layer,
                                f.weights_iter, f.bias, f.dst_layer, f.dst_iter, f.dst_iter_c);
                    },
                    [&] {
                        return dnnl::lstm_backward::desc(bk, dir, f.src_layer, f.src_iter, f.src_iter_c, f.weights_layer,
                                f.weights_iter, f.bias, f.dst_layer, f.dst_iter, f.dst_iter_c, b.src_layer, b.src_iter,
                                b.src_iter_c, b.weights_layer, b.weights_iter, b.bias, b.dst_layer, b.dst_iter, b.dst_iter_c);
                    });
        case RNN_CELL_GRU:
            return build<dnnl::lbr_gru_forward, dnnl::lbr_gru_backward>(engine, s.training,
                    [&] {
                        return dnnl::lbr_gru_forward::desc(pk, dir, f.src_layer, f.src_iter, f.weights_layer,
                                f.weights_iter, f.bias, f.dst_layer, f.dst_iter);
                    },
                    [&] {
                        return dnnl::lbr_gru_backward::desc(bk, dir, f.src_layer, f.src_iter, f.weights_layer,
                                f.weights_iter, f.bias, f.dst_layer, f.dst_iter, b.src_layer, b.src_iter, b.weights_layer,
                                b.weights_iter, b.bias, b.dst_layer, b.dst_iter);
                    });
        default: {
            const auto act = m.cell == RNN_CELL_RELU ? dnnl::algorithm::eltwise_relu : dnnl::algorithm::eltwise_tanh;
            return build<dnnl::vanilla_rnn_forward, dnnl::vanilla_rnn_backward>(engine, s.training,
                    [&] {
                        return dnnl::vanilla_rnn_forward::desc(pk, act, dir, f.src_layer, f.src_iter, f.weights_layer,
                                f.weights_iter, f.bias, f.dst_layer, f.dst_iter);
                    },
                    [&] {
                        return dnnl::vanilla_rnn_backward::desc(bk, act, dir, f.src_layer, f.src_iter, f.weights_layer,
                                f.weights_iter, f.bias, f.dst_layer, f.dst_iter, b.src_layer, b.src_iter,
                                b.weights_layer, b.weights_iter, b.bias, b.dst_layer, b.dst_iter);
                    });
        }
    }
}

} // namespace rnnshim
