#include "model.hpp"

#include "error.hpp"

#include <omp.h>

namespace rnnshim {

namespace {
// Far above any real RNN, low enough that products of a few sizes stay well inside int64.
constexpr int64_t max_size = int64_t(1) << 24;
constexpr int64_t max_layers = 1024;
} // namespace

const char *model_shape::cell_name() const {
    switch (cell) {
        case RNN_CELL_TANH: return "rnn_tanh";
        case RNN_CELL_RELU: return "rnn_relu";
        case RNN_CELL_LSTM: return "lstm";
        default: return "gru";
    }
}

int64_t checked_mul(int64_t a, int64_t b, const char *what) {
    int64_t r;
    if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &r))
        invalid(std::string(what) + " is too large (element count overflows)");
    return r;
}

model_shape validate_model(const rnn_model_desc *d) {
    if (!d) invalid("model description is null");
    if (d->cell < RNN_CELL_TANH || d->cell > RNN_CELL_GRU)
        invalid("cell must be 0 (rnn_tanh), 1 (rnn_relu), 2 (lstm) or 3 (gru); got " + std::to_string(d->cell));
    auto size = [](const char *name, int64_t v, int64_t max) {
        if (v < 1 || v > max)
            invalid(std::string(name) + " must be between 1 and " + std::to_string(max) + "; got " + std::to_string(v));
    };
    size("input_size", d->input_size, max_size);
    size("hidden_size", d->hidden_size, max_size);
    size("num_layers", d->num_layers, max_layers);
    if (d->bidirectional != 0 && d->bidirectional != 1)
        invalid("bidirectional must be 0 or 1; got " + std::to_string(d->bidirectional));
    if (d->has_bias != 0 && d->has_bias != 1) invalid("has_bias must be 0 or 1; got " + std::to_string(d->has_bias));
    if (d->precision == RNN_PRECISION_F16)
        fail(RNN_STATUS_UNSUPPORTED, "precision f16 is not supported on CPU by oneDNN 2.6; use f32 or bf16");
    if (d->precision != RNN_PRECISION_F32 && d->precision != RNN_PRECISION_BF16)
        invalid("precision must be 0 (f32) or 1 (bf16); got " + std::to_string(d->precision));
    if (d->small_batch_path < RNN_SMALL_BATCH_AUTO || d->small_batch_path > RNN_SMALL_BATCH_NEVER)
        invalid("small_batch_path must be 0 (auto), 1 (always) or 2 (never); got " + std::to_string(d->small_batch_path));
    if (d->threads < 0 || d->threads > 4096) invalid("threads must be between 0 (all cores) and 4096; got " + std::to_string(d->threads));
    if (d->proj_size != 0) {
        if (d->cell != RNN_CELL_LSTM)
            invalid("proj_size must be 0 for a non-LSTM cell (only an LSTM has projections); got " + std::to_string(d->proj_size));
        if (d->proj_size < 1 || d->proj_size >= d->hidden_size)
            invalid("proj_size must be 0 (none) or between 1 and hidden_size - 1 = " + std::to_string(d->hidden_size - 1) +
                    "; got " + std::to_string(d->proj_size));
        if (d->precision == RNN_PRECISION_BF16)
            fail(RNN_STATUS_UNSUPPORTED,
                    "bf16 LSTM with projection (proj_size) is not supported: oneDNN 2.6 accepts it but computes wrong results; use f32");
    }

    model_shape m;
    m.cell = rnn_cell(d->cell);
    m.input_size = d->input_size;
    m.hidden_size = d->hidden_size;
    m.num_layers = d->num_layers;
    m.directions = d->bidirectional ? 2 : 1;
    m.has_bias = d->has_bias != 0;
    m.proj_size = d->proj_size;
    m.precision = rnn_precision(d->precision);
    m.threads = d->threads == 0 ? omp_get_num_procs() : d->threads;
    m.small_batch_path = rnn_small_batch_path(d->small_batch_path);
    param_count(m); // fails early when the model would not fit in memory arithmetic
    return m;
}

param_offsets offsets_of(const model_shape &m, int64_t layer, int64_t direction) {
    int64_t gh = m.gates() * m.hidden_size;
    int64_t offset = 0;
    for (int64_t l = 0; l < m.num_layers; ++l)
        for (int64_t d = 0; d < m.directions; ++d) {
            param_offsets o;
            o.weight_ih = offset;
            offset += checked_mul(gh, m.layer_input_size(l), "weight_ih");
            o.weight_hh = offset;
            offset += checked_mul(gh, m.state_size(), "weight_hh");
            o.bias_ih = m.has_bias ? offset : -1;
            o.bias_hh = m.has_bias ? offset + gh : -1;
            if (m.has_bias) offset += 2 * gh;
            // PyTorch's state_dict puts weight_hr after the biases of the same layer and direction.
            o.weight_hr = m.has_projection() ? offset : -1;
            if (m.has_projection()) offset += checked_mul(m.proj_size, m.hidden_size, "weight_hr");
            if (l == layer && d == direction) return o;
        }
    invalid("layer/direction out of range");
}

int64_t param_count(const model_shape &m) {
    int64_t gh = checked_mul(m.gates(), m.hidden_size, "gates x hidden");
    int64_t total = 0;
    for (int64_t l = 0; l < m.num_layers; ++l) {
        int64_t per = checked_mul(gh, m.layer_input_size(l) + m.state_size(), "layer weights") + (m.has_bias ? 2 * gh : 0) +
                checked_mul(m.proj_size, m.hidden_size, "weight_hr");
        total += checked_mul(per, m.directions, "layer weights");
        if (total > (int64_t(1) << 40)) invalid("the model has too many parameters");
    }
    return total;
}

} // namespace rnnshim
