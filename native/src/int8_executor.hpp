// An LSTM prepared for int8 inference: u8 activations (one scale and shift per layer, shared by the layer's input and
// its h, as oneDNN applies them), s8 weights with one scale per output channel, f32 bias, f32 states and outputs.
//
// Each layer input is quantized here; oneDNN quantizes h itself at every step. States stay f32 between time segments
// (src_iter/dst_iter f32), so variable lengths cost no extra rounding. Outputs come back dequantized (dst_layer f32).
//
// Small batches take the small-batch path (small_batch/small_batch_path.hpp) with the same quantization, as the model's
// small_batch_path option chooses. It returns each h as computed where the primitive returns it dequantized from its
// u8 (at most half a quantization step apart); their u8 values agree except where float rounding in the
// dequantization moves an h across a rounding boundary.
//
// A call with several threads and enough rows splits its batch into independent parts, one per thread, each run
// single-threaded by oneDNN (which scales poorly across threads on one small batch); results are bit-identical to an
// unsplit call.
//
// forward() is const and thread-safe: every call (and every part) has its own stream, scratchpads and buffers. The only shared mutable
// state is the primitive cache (which locks itself) and the per-layout weight cache, each behind a mutex held for
// lookups, never for compute.
#pragma once

#include "executor_tuning.hpp"
#include "model.hpp"
#include "primitive_cache.hpp"
#include "quantization.hpp"
#include "small_batch/small_batch_path.hpp"
#include "time_segments.hpp"

#include <oneapi/dnnl/dnnl.hpp>

#include <memory>
#include <mutex>
#include <tuple>
#include <utility>
#include <vector>

namespace rnnshim {

class int8_executor {
public:
    // data: one entry per layer; validated by the caller.
    int8_executor(const model_shape &m, const executor_tuning &tuning, const float *params,
            const std::vector<int8_data_qparams> &data);

    const model_shape &shape() const { return m_; }
    void forward(const rnn_forward_args &args, const batch_plan &plan) const;
    // Bytes of one layout's s8 weights as oneDNN holds them (with its compensation terms) plus the f32 bias, and of the
    // same weights and bias in f32.
    int64_t int8_weight_bytes() const;
    int64_t f32_weight_bytes() const;

private:
    // threads: the OpenMP threads the primitive is made for and runs on (a part runs on 1, a whole call on several);
    // oneDNN sizes its scratchpad and work split when it makes a primitive, so one made for 1 thread must not run on 2.
    struct primitive_key {
        int64_t layer, direction, steps, rows, batch, threads;
        bool operator<(const primitive_key &o) const {
            return std::tie(layer, direction, steps, rows, batch, threads) <
                    std::tie(o.layer, o.direction, o.steps, o.rows, o.batch, o.threads);
        }
    };
    struct cached_primitive {
        dnnl::lstm_forward::primitive_desc pd;
        dnnl::lstm_forward primitive;
    };
    // One layer and direction: the f32 plain weights (ldigo), their channel scales, and s8 copies per layout.
    struct direction_weights {
        dnnl::memory plain_layer, plain_iter, bias;
        std::vector<float> scales;
        std::vector<std::pair<dnnl::memory::desc, dnnl::memory>> s8_layer, s8_iter;
    };

    dnnl::primitive_attr attr_for(int64_t layer, const std::vector<float> &scales, bool user_scratchpad) const;
    std::shared_ptr<cached_primitive> primitive_for(const primitive_key &key) const;
    dnnl::memory s8_weights(int64_t index, bool iter, const dnnl::memory::desc &want, dnnl::stream &stream) const;
    int64_t parts_for(const batch_plan &plan, int threads) const;
    void forward_rows(const rnn_forward_args &a, const batch_plan &plan) const;
    void forward_direction(int64_t layer, int64_t dir, const uint8_t *src, float *dst, const batch_plan &plan,
            const rnn_forward_args &a, dnnl::stream &stream) const;

    model_shape m_;
    dnnl::engine engine_;
    std::vector<int8_data_qparams> data_;
    bool split_; // a call with several threads splits its batch into parts
    int64_t int8_bytes_ = 0;
    mutable std::vector<direction_weights> weights_;
    mutable std::mutex weights_mutex_;
    mutable primitive_cache<primitive_key, cached_primitive> primitives_;
    std::unique_ptr<small_batch::path> small_batch_; // unless the model's small_batch_path is never
};

} // namespace rnnshim
