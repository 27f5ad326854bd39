#include "workspace_pool.hpp"

namespace rnnshim {

call_workspace::call_workspace(const dnnl::engine &engine) {
    for (auto &slot : slots) slot.stream = dnnl::stream(engine);
}

workspace_pool::lease workspace_pool::take() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!free_.empty()) {
            std::unique_ptr<call_workspace> w = std::move(free_.back());
            free_.pop_back();
            return lease(*this, std::move(w));
        }
    }
    // Built outside the lock: creating streams must not hold up other callers.
    auto w = std::make_unique<call_workspace>(engine_);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        ++created_;
    }
    return lease(*this, std::move(w));
}

size_t workspace_pool::created() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return created_;
}

void workspace_pool::give_back(std::unique_ptr<call_workspace> w) noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    try {
        free_.push_back(std::move(w));
    } catch (...) {
        // Out of memory growing the free list: drop this workspace; the pool makes another when needed.
    }
}

} // namespace rnnshim
