// Live handles, so that a null, destroyed, foreign or garbage handle is reported instead of dereferenced.
// A handle is an id, never an address, and ids are never reused: a stale handle cannot alias a newer object.
// Lookups hand out shared ownership, so an object stays alive until every call using it has returned.
#pragma once

#include "error.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rnnshim {

template <class Object>
class handle_registry {
public:
    // tag: the high bits of this registry's ids, so one kind's handle is never another kind's.
    handle_registry(const char *kind, uint64_t tag) : kind_(kind), tag_(tag) {}

    void *add(std::shared_ptr<Object> object) {
        std::lock_guard<std::mutex> lock(mutex_);
        void *handle = reinterpret_cast<void *>(uintptr_t((tag_ << 40) | ++issued_));
        live_.emplace(handle, std::move(object));
        return handle;
    }

    std::shared_ptr<Object> get(const void *handle) const {
        if (!handle) invalid(std::string(kind_) + " handle is null");
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = live_.find(handle);
        if (it == live_.end()) invalid(std::string(kind_) + " handle is not live (already destroyed, or never created by this library)");
        return it->second;
    }

    void remove(const void *handle) {
        std::shared_ptr<Object> last; // released outside the lock
        if (!handle) invalid(std::string(kind_) + " handle is null");
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = live_.find(handle);
        if (it == live_.end()) invalid(std::string(kind_) + " handle is not live (already destroyed, or never created by this library)");
        last = std::move(it->second);
        live_.erase(it);
    }

private:
    const char *kind_;
    uint64_t tag_;
    uint64_t issued_ = 0;
    mutable std::mutex mutex_;
    std::unordered_map<const void *, std::shared_ptr<Object>> live_;
};

} // namespace rnnshim
