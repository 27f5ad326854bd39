// The validated model geometry, and the checked arithmetic used to size every buffer from it.
#pragma once

#include "rnnshim.h"

#include <cstdint>
#include <string>

namespace rnnshim {

struct model_shape {
    rnn_cell cell;
    int64_t input_size, hidden_size, num_layers, directions;
    int64_t proj_size; // 0: no projection
    bool has_bias;
    rnn_precision precision;
    int threads;
    rnn_small_batch_path small_batch_path;

    int64_t gates() const { return cell == RNN_CELL_LSTM ? 4 : cell == RNN_CELL_GRU ? 3 : 1; }
    // lbr_gru carries a fourth bias block: b_hn, which stays inside r * (W_hn h + b_hn).
    int64_t bias_gates() const { return cell == RNN_CELL_GRU ? 4 : gates(); }
    bool has_projection() const { return proj_size > 0; }
    // Width of one direction's h state and output: proj_size under a projection, else hidden_size. c stays hidden_size.
    int64_t state_size() const { return has_projection() ? proj_size : hidden_size; }
    int64_t output_size() const { return directions * state_size(); }
    int64_t layer_input_size(int64_t layer) const { return layer == 0 ? input_size : output_size(); }
    int64_t state_rows() const { return num_layers * directions; }
    bool has_cell_state() const { return cell == RNN_CELL_LSTM; }
    const char *cell_name() const;
};

// Validates a caller's description (sizes, enums, limits) and resolves threads = 0 to all cores.
model_shape validate_model(const rnn_model_desc *desc);

// a * b, failing cleanly instead of overflowing.
int64_t checked_mul(int64_t a, int64_t b, const char *what);

// Offsets of one layer and direction's tensors in the flat state_dict-ordered parameter buffer (-1: absent).
struct param_offsets {
    int64_t weight_ih, weight_hh, bias_ih, bias_hh, weight_hr;
};
param_offsets offsets_of(const model_shape &m, int64_t layer, int64_t direction);
int64_t param_count(const model_shape &m);

} // namespace rnnshim
