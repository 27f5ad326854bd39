#include "error.hpp"

#include <cstdio>

namespace rnnshim {

namespace {
// Fixed storage: formatting the message must not itself throw (std::string could).
thread_local char last_message[1024];
} // namespace

void clear_last_error() noexcept { last_message[0] = '\0'; }

void set_last_error(const char *function, const char *message) noexcept {
    std::snprintf(last_message, sizeof last_message, "%s: %s", function, message ? message : "(no message)");
}

const char *last_error() noexcept { return last_message; }

rnn_status status_of_dnnl(dnnl_status_t status) noexcept {
    switch (status) {
        case dnnl_out_of_memory: return RNN_STATUS_OUT_OF_MEMORY;
        case dnnl_invalid_arguments: return RNN_STATUS_INVALID_ARGUMENT;
        case dnnl_unimplemented: return RNN_STATUS_UNSUPPORTED;
        default: return RNN_STATUS_BACKEND_ERROR;
    }
}

} // namespace rnnshim
