// A bounded least-recently-used map from a primitive's shape to the primitive built for it. Each primitive holds JIT
// code and its descriptors (a few hundred KiB), and a stream of batches of varied sizes meets thousands of distinct
// shapes, so an unbounded or clear-when-full cache makes peak memory grow with the input. Evicting the least recently
// used entry keeps the shapes in steady use (the full batches) and drops the one-off ones (a window's last batch).
// Not thread-safe: a lookup reorders the recency list, so the owner serialises every call with one mutex. Values are
// shared_ptrs, so a call still running an evicted primitive keeps it alive until it finishes.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

#include <cstddef>
#include <cstdlib>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

namespace rnnshim {

template <class Key, class Value, class Less = std::less<Key>>
class primitive_cache {
public:
    explicit primitive_cache(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

    size_t size() const { return index_.size(); }
    size_t capacity() const { return capacity_; }

    // The cached value, now the most recently used; null when absent.
    std::shared_ptr<Value> find(const Key &key) {
        auto it = index_.find(key);
        if (it == index_.end()) return nullptr;
        recency_.splice(recency_.begin(), recency_, it->second);
        return it->second->second;
    }

    // Keeps value under key unless another caller cached one first; returns the one kept, most recently used. When
    // full, the least recently used entry goes first.
    std::shared_ptr<Value> insert(const Key &key, std::shared_ptr<Value> value) {
        if (auto existing = find(key)) return existing;
        if (index_.size() >= capacity_) {
            index_.erase(recency_.back().first);
            recency_.pop_back();
        }
        recency_.emplace_front(key, std::move(value));
        index_.emplace(key, recency_.begin());
        return recency_.front().second;
    }

private:
    using entry = std::pair<Key, std::shared_ptr<Value>>;
    size_t capacity_;
    std::list<entry> recency_; // most recently used first
    std::map<Key, typename std::list<entry>::iterator, Less> index_;
};

// oneDNN keeps every primitive it creates in its own process-wide cache as well (1024 by default), so a shim cache
// bound alone does not bound memory: the evicted primitives stay alive there. Set oneDNN's capacity once to
// `capacity` (enough to rebuild recently evicted shapes without JIT), unless the user chose one with
// ONEDNN_PRIMITIVE_CACHE_CAPACITY, which then wins.
inline void bound_onednn_primitive_cache(int capacity) {
    static std::once_flag once;
    std::call_once(once, [capacity] {
        if (std::getenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY") || std::getenv("DNNL_PRIMITIVE_CACHE_CAPACITY")) return;
        dnnl::set_primitive_cache_capacity(capacity);
    });
}

} // namespace rnnshim
