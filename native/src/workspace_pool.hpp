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
    explicit call_workspace(const dnnl::engine &engine);

    direction_slot slots[2];
    aligned_buffer input_work, layer_work[2];
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
