// Status codes and the thread-local last-error message: the firewall that keeps every failure on this side of the C ABI.
#pragma once

#include "rnnshim.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <new>
#include <stdexcept>
#include <string>

namespace rnnshim {

// A failure the shim diagnosed itself, with the status the caller should see.
class shim_error : public std::runtime_error {
public:
    shim_error(rnn_status status, const std::string &message) : std::runtime_error(message), status_(status) {}
    rnn_status status() const noexcept { return status_; }

private:
    rnn_status status_;
};

[[noreturn]] inline void fail(rnn_status status, const std::string &message) { throw shim_error(status, message); }
[[noreturn]] inline void invalid(const std::string &message) { fail(RNN_STATUS_INVALID_ARGUMENT, message); }

void clear_last_error() noexcept;
void set_last_error(const char *function, const char *message) noexcept;
const char *last_error() noexcept;
rnn_status status_of_dnnl(dnnl_status_t status) noexcept;

// Runs body (returning void) and turns anything it throws into a status and the thread's last-error message.
template <class Body>
rnn_status guarded(const char *function, Body &&body) noexcept {
    clear_last_error();
    try {
        body();
        return RNN_STATUS_OK;
    } catch (const shim_error &e) {
        set_last_error(function, e.what());
        return e.status();
    } catch (const dnnl::error &e) {
        std::string message = std::string("oneDNN: ") + e.what() + " (dnnl_status " + std::to_string(int(e.status)) + ")";
        set_last_error(function, message.c_str());
        return status_of_dnnl(e.status);
    } catch (const std::bad_alloc &) {
        set_last_error(function, "out of memory");
        return RNN_STATUS_OUT_OF_MEMORY;
    } catch (const std::exception &e) {
        set_last_error(function, e.what());
        return RNN_STATUS_INTERNAL_ERROR;
    } catch (...) {
        set_last_error(function, "unknown exception");
        return RNN_STATUS_INTERNAL_ERROR;
    }
}

} // namespace rnnshim
