// Live handles, so that a null, destroyed, foreign or garbage handle is reported instead of dereferenced.
// Lookups hand out shared ownership, so an object stays alive until every call using it has returned.
#pragma once

#include "error.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rnnshim {

template <class Object>
class handle_registry {
public:
    explicit handle_registry(const char *kind) : kind_(kind) {}

    void *add(std::shared_ptr<Object> object) {
        void *handle = object.get();
        std::lock_guard<std::mutex> lock(mutex_);
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
    mutable std::mutex mutex_;
    std::unordered_map<const void *, std::shared_ptr<Object>> live_;
};

} // namespace rnnshim
