// The extern "C" entry points: validate everything the caller passed, then hand over to the executor.
#include "rnnshim.h"

#include "error.hpp"
#include "executor.hpp"
#include "executor_tuning.hpp"
#include "handle_registry.hpp"
#include "int8_executor.hpp"
#include "model.hpp"
#include "time_segments.hpp"

#include <oneapi/dnnl/dnnl.hpp>

#include <omp.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

using namespace rnnshim;

namespace {

handle_registry<executor> &executors() {
    static handle_registry<executor> registry("executor", 0x52E);
    return registry;
}

handle_registry<training_context> &contexts() {
    static handle_registry<training_context> registry("context", 0x52C);
    return registry;
}

// A required buffer: non-null with exactly `expected` elements.
void require(const void *p, int64_t count, int64_t expected, const char *name) {
    if (!p) invalid(std::string(name) + " is null; expected " + std::to_string(expected) + " elements");
    if (count != expected)
        invalid(std::string(name) + " has " + std::to_string(count) + " elements; expected " + std::to_string(expected));
}

// An optional buffer: null with count 0, or as required.
void optional(const void *p, int64_t count, int64_t expected, const char *name) {
    if (!p && count == 0) return;
    require(p, count, expected, name);
}

const char *isa_name(dnnl::cpu_isa isa) {
    switch (isa) {
        case dnnl::cpu_isa::sse41: return "sse41";
        case dnnl::cpu_isa::avx: return "avx";
        case dnnl::cpu_isa::avx2: return "avx2";
        case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
        case dnnl::cpu_isa::avx512_mic: return "avx512_mic";
        case dnnl::cpu_isa::avx512_mic_4ops: return "avx512_mic_4ops";
        case dnnl::cpu_isa::avx512_core: return "avx512_core";
        case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
        case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
        case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
        default: return "unknown";
    }
}

bool isa_at_least(dnnl::cpu_isa have, dnnl::cpu_isa want) {
    const unsigned h = unsigned(have), w = unsigned(want);
    return (h & w) == w;
}

void check_precision_supported(const model_shape &m) {
    if (m.precision == RNN_PRECISION_BF16 && !isa_at_least(dnnl::get_effective_cpu_isa(), dnnl::cpu_isa::avx512_core))
        fail(RNN_STATUS_UNSUPPORTED, std::string("precision bf16 needs a CPU with AVX-512 (oneDNN reports ISA ") +
                        isa_name(dnnl::get_effective_cpu_isa()) + "); use f32");
}

} // namespace

extern "C" {

RNN_API const char *rnn_last_error(void) { return last_error(); }

RNN_API rnn_status rnn_version(int32_t *abi_version) {
    return guarded(__func__, [&] {
        if (!abi_version) invalid("abi_version is null");
        *abi_version = RNN_SHIM_ABI_VERSION;
    });
}

RNN_API rnn_status rnn_capabilities_query(rnn_capabilities *out) {
    return guarded(__func__, [&] {
        if (!out) invalid("out is null");
        std::memset(out, 0, sizeof *out);
        const dnnl::version_t *v = dnnl::version();
        const dnnl::cpu_isa isa = dnnl::get_effective_cpu_isa();
        out->abi_version = RNN_SHIM_ABI_VERSION;
        out->onednn_major = int32_t(v->major);
        out->onednn_minor = int32_t(v->minor);
        out->onednn_patch = int32_t(v->patch);
        out->max_threads = omp_get_num_procs();
        out->bf16 = isa_at_least(isa, dnnl::cpu_isa::avx512_core) ? 1 : 0;
        out->bf16_native = isa_at_least(isa, dnnl::cpu_isa::avx512_core_bf16) ? 1 : 0;
        std::strncpy(out->isa, isa_name(isa), sizeof out->isa - 1);
    });
}

RNN_API rnn_status rnn_model_param_count(const rnn_model_desc *desc, int64_t *count) {
    return guarded(__func__, [&] {
        if (!count) invalid("count is null");
        *count = param_count(validate_model(desc));
    });
}

RNN_API rnn_status rnn_executor_create(const rnn_model_desc *desc, const float *params, int64_t params_count,
        rnn_executor **out) {
    return guarded(__func__, [&] {
        if (!out) invalid("out is null");
        *out = nullptr;
        const model_shape m = validate_model(desc);
        check_precision_supported(m);
        const executor_tuning tuning = tuning_of(*desc, executor_kind::f32);
        require(params, params_count, param_count(m), "params");
        auto e = std::make_shared<executor>(m, tuning, params);
        *out = static_cast<rnn_executor *>(executors().add(std::move(e)));
    });
}

RNN_API rnn_status rnn_executor_destroy(rnn_executor *handle) {
    return guarded(__func__, [&] { executors().remove(handle); });
}

RNN_API rnn_status rnn_executor_update_weights(rnn_executor *handle, const float *params, int64_t params_count) {
    return guarded(__func__, [&] {
        auto e = executors().get(handle);
        require(params, params_count, param_count(e->shape()), "params");
        e->update_weights(params);
    });
}

RNN_API rnn_status rnn_executor_forward(rnn_executor *handle, const rnn_forward_args *args, int32_t training,
        rnn_context **context) {
    return guarded(__func__, [&] {
        auto e = executors().get(handle);
        if (!args) invalid("args is null");
        if (training != 0 && training != 1) invalid("training must be 0 or 1; got " + std::to_string(training));
        if (training && !context) invalid("context is null; a training forward pass must return a context");
        if (context) *context = nullptr;
        const model_shape &m = e->shape();
        const rnn_forward_args &a = *args;
        if (a.seq_len < 1) invalid("seq_len must be at least 1; got " + std::to_string(a.seq_len));
        if (a.batch < 1) invalid("batch must be at least 1; got " + std::to_string(a.batch));
        if (a.batch_first != 0 && a.batch_first != 1) invalid("batch_first must be 0 or 1; got " + std::to_string(a.batch_first));
        if (a.threads < 0 || a.threads > 4096)
            invalid("threads must be between 0 (the executor's) and 4096; got " + std::to_string(a.threads));
        const int threads = a.threads == 0 ? m.threads : a.threads;
        const int64_t tn = checked_mul(a.seq_len, a.batch, "seq_len x batch");
        const int64_t rows = checked_mul(m.state_rows(), a.batch, "states");
        const int64_t states = checked_mul(rows, m.state_size(), "states"), cells = checked_mul(rows, m.hidden_size, "states");
        require(a.input, a.input_count, checked_mul(tn, m.input_size, "input"), "input");
        require(a.output, a.output_count, checked_mul(tn, m.output_size(), "output"), "output");
        require(a.hn, a.hn_count, states, "hn");
        optional(a.h0, a.h0_count, states, "h0");
        if (m.has_cell_state()) {
            optional(a.c0, a.c0_count, cells, "c0");
            optional(a.cn, a.cn_count, cells, "cn");
        } else if (a.c0 || a.c0_count || a.cn || a.cn_count) {
            invalid(std::string("c0/cn were given, but a ") + m.cell_name() + " model has no cell state");
        }
        const batch_plan plan = plan_batch(a.seq_len, a.batch, a.lengths);
        if (!training) {
            e->forward(a, plan, threads, nullptr);
            return;
        }
        auto ctx = std::make_shared<training_context>();
        ctx->owner = handle;
        e->forward(a, plan, threads, ctx.get());
        *context = static_cast<rnn_context *>(contexts().add(std::move(ctx)));
    });
}

RNN_API rnn_status rnn_executor_backward(rnn_executor *handle, rnn_context *context, const rnn_backward_args *args) {
    return guarded(__func__, [&] {
        auto e = executors().get(handle);
        auto ctx = contexts().get(context);
        if (!args) invalid("args is null");
        if (ctx->owner != handle) invalid("the context was produced by a different executor");
        if (ctx->consumed) invalid("the context was already used by a backward pass; run a new training forward pass");
        const model_shape &m = e->shape();
        const rnn_backward_args &a = *args;
        const int64_t tn = checked_mul(ctx->plan.seq_len, ctx->plan.batch, "seq_len x batch");
        const int64_t rows = checked_mul(m.state_rows(), ctx->plan.batch, "states");
        const int64_t states = checked_mul(rows, m.state_size(), "states"), cells = checked_mul(rows, m.hidden_size, "states");
        optional(a.grad_output, a.grad_output_count, checked_mul(tn, m.output_size(), "grad_output"), "grad_output");
        optional(a.grad_hn, a.grad_hn_count, states, "grad_hn");
        require(a.grad_input, a.grad_input_count, checked_mul(tn, m.input_size, "grad_input"), "grad_input");
        require(a.grad_h0, a.grad_h0_count, states, "grad_h0");
        require(a.grad_params, a.grad_params_count, param_count(m), "grad_params");
        if (m.has_cell_state()) {
            optional(a.grad_cn, a.grad_cn_count, cells, "grad_cn");
            optional(a.grad_c0, a.grad_c0_count, cells, "grad_c0");
        } else if (a.grad_cn || a.grad_cn_count || a.grad_c0 || a.grad_c0_count) {
            invalid(std::string("grad_cn/grad_c0 were given, but a ") + m.cell_name() + " model has no cell state");
        }
        e->backward(*ctx, a);
    });
}

RNN_API rnn_status rnn_context_destroy(rnn_context *context) {
    return guarded(__func__, [&] { contexts().remove(context); });
}

} // extern "C"

// ---- int8 LSTM inference ----------------------------------------------------------------------------------------

namespace {

handle_registry<int8_executor> &int8_executors() {
    static handle_registry<int8_executor> registry("int8 executor", 0x518);
    return registry;
}

void check_int8_model(const model_shape &m) {
    if (m.cell != RNN_CELL_LSTM)
        fail(RNN_STATUS_UNSUPPORTED, std::string("int8 runs LSTM inference only; a ") + m.cell_name() +
                " model has no int8 kernel in oneDNN 2.6 (PyTorch's GRU is oneDNN's LBR-GRU); use f32 or bf16");
    if (m.precision != RNN_PRECISION_F32)
        invalid("an int8 executor exchanges f32 tensors: desc->precision must be 0 (f32); got " + std::to_string(int(m.precision)));
    if (m.has_projection())
        fail(RNN_STATUS_UNSUPPORTED, "int8 LSTM with projection (proj_size) is not supported by this shim; use f32");
}

std::vector<int8_data_qparams> validate_qparams(const model_shape &m, const float *scales, const float *shifts, int64_t count) {
    if (!scales) invalid("data_scales is null; expected one per layer (" + std::to_string(m.num_layers) + ")");
    if (!shifts) invalid("data_shifts is null; expected one per layer (" + std::to_string(m.num_layers) + ")");
    if (count != m.num_layers)
        invalid("layer_count is " + std::to_string(count) + "; expected num_layers = " + std::to_string(m.num_layers));
    std::vector<int8_data_qparams> q(static_cast<size_t>(count));
    for (int64_t l = 0; l < count; ++l) {
        const float scale = scales[l], shift = shifts[l];
        if (!(scale > 0.0f) || !std::isfinite(scale))
            invalid("data_scales[" + std::to_string(l) + "] must be positive and finite; got " + std::to_string(scale));
        if (!(shift >= 0.0f && shift <= 255.0f))
            invalid("data_shifts[" + std::to_string(l) + "] must be in [0, 255]; got " + std::to_string(shift));
        q[size_t(l)] = {scale, shift};
    }
    return q;
}

// The same checks as an f32 inference forward pass; returns the batch plan.
batch_plan validate_int8_forward(const model_shape &m, const rnn_forward_args *args) {
    if (!args) invalid("args is null");
    const rnn_forward_args &a = *args;
    if (a.seq_len < 1) invalid("seq_len must be at least 1; got " + std::to_string(a.seq_len));
    if (a.batch < 1) invalid("batch must be at least 1; got " + std::to_string(a.batch));
    if (a.batch_first != 0 && a.batch_first != 1) invalid("batch_first must be 0 or 1; got " + std::to_string(a.batch_first));
    const int64_t tn = checked_mul(a.seq_len, a.batch, "seq_len x batch");
    const int64_t states = checked_mul(checked_mul(m.state_rows(), a.batch, "states"), m.hidden_size, "states");
    require(a.input, a.input_count, checked_mul(tn, m.input_size, "input"), "input");
    require(a.output, a.output_count, checked_mul(tn, m.output_size(), "output"), "output");
    require(a.hn, a.hn_count, states, "hn");
    optional(a.h0, a.h0_count, states, "h0");
    optional(a.c0, a.c0_count, states, "c0");
    optional(a.cn, a.cn_count, states, "cn");
    return plan_batch(a.seq_len, a.batch, a.lengths);
}

} // namespace

extern "C" {

RNN_API rnn_status rnn_int8_executor_create(const rnn_model_desc *desc, const float *params, int64_t params_count,
        const float *data_scales, const float *data_shifts, int64_t layer_count, rnn_int8_executor **out) {
    return guarded(__func__, [&] {
        if (!out) invalid("out is null");
        *out = nullptr;
        const model_shape m = validate_model(desc);
        check_int8_model(m);
        const executor_tuning tuning = tuning_of(*desc, executor_kind::int8);
        require(params, params_count, param_count(m), "params");
        auto q = validate_qparams(m, data_scales, data_shifts, layer_count);
        auto e = std::make_shared<int8_executor>(m, tuning, params, q);
        *out = static_cast<rnn_int8_executor *>(int8_executors().add(std::move(e)));
    });
}

RNN_API rnn_status rnn_int8_executor_destroy(rnn_int8_executor *handle) {
    return guarded(__func__, [&] { int8_executors().remove(handle); });
}

RNN_API rnn_status rnn_int8_executor_forward(rnn_int8_executor *handle, const rnn_forward_args *args) {
    return guarded(__func__, [&] {
        auto e = int8_executors().get(handle);
        const batch_plan plan = validate_int8_forward(e->shape(), args);
        e->forward(*args, plan);
    });
}

RNN_API rnn_status rnn_int8_executor_weight_bytes(rnn_int8_executor *handle, int64_t *int8_bytes, int64_t *f32_bytes) {
    return guarded(__func__, [&] {
        auto e = int8_executors().get(handle);
        if (!int8_bytes) invalid("int8_bytes is null");
        if (!f32_bytes) invalid("f32_bytes is null");
        *int8_bytes = e->int8_weight_bytes();
        *f32_bytes = e->f32_weight_bytes();
    });
}

} // extern "C"
