// Everything one call mutates, and the pool that lends it out. A workspace is held by exactly one call from take() to
// the lease's end, so concurrent callers never share a stream, a scratchpad or a state buffer; the lock guards only
// the free list, never the compute. The pool grows to the peak number of concurrent calls and keeps that many.
#pragma once

#include "sequence_io.hpp"

#include <oneapi/dnnl/dnnl.hpp>

#include <memory>
#include <mutex>
#include <vector>

namespace rnnshim {

struct call_workspace {
    // Per-direction resources, so the two directions of a layer can run at once.
    struct direction_slot {
        dnnl::stream stream;
        aligned_buffer cur_h, nxt_h, cur_c, nxt_c, scratchpad;
    };

    // A layer's h and c carried from one time chunk to the next by chunk-major inference (which runs one direction).
    struct layer_state {
        aligned_buffer h, c;
    };
    explicit call_workspace(const dnnl::engine &engine);

    direction_slot slots[2];
    // The sorted input, and (chunk-major only) the sorted output before it goes back to the caller's order; both T long.
    aligned_buffer input_work, output_work;
    // The activations between layers: a whole layer (T steps) layer-major, one chunk (at most chunk_steps) chunk-major.
    aligned_buffer layer_work[2];
    std::vector<layer_state> layer_states; // grows to the model's layer count once, then is reused
};

class workspace_pool {
public:
    class lease {
    public:
        lease(workspace_pool &pool, std::unique_ptr<call_workspace> w) : pool_(&pool), w_(std::move(w)) {}
        lease(lease &&) = default;
        lease &operator=(lease &&) = delete;
        ~lease() { if (w_) pool_->give_back(std::move(w_)); }
        call_workspace &operator*() const { return *w_; }
        call_workspace *operator->() const { return w_.get(); }

    private:
        workspace_pool *pool_;
        std::unique_ptr<call_workspace> w_;
    };

    explicit workspace_pool(const dnnl::engine &engine) : engine_(engine) {}

    lease take();
    // Workspaces created so far: the peak number of concurrent calls.
    size_t created() const;

private:
    void give_back(std::unique_ptr<call_workspace> w) noexcept;

    dnnl::engine engine_;
    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<call_workspace>> free_;
    size_t created_ = 0;
};

} // namespace rnnshim
