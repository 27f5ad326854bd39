// A bounded least-recently-used map from a primitive's shape to the primitive built for it. Each primitive holds JIT
// code and its descriptors (a few hundred KiB), and a stream of batches of varied sizes meets thousands of distinct
// shapes, so an unbounded or clear-when-full cache makes peak memory grow with the input. Evicting the least recently
// used entry keeps the shapes in steady use (the full batches) and drops the one-off ones (a window's last batch).
// Thread-safe: a lookup reorders the recency list, so every call takes the cache's mutex (never held while a primitive
// is built or run). Values are shared_ptrs, so a call still running an evicted primitive keeps it alive until it
// finishes.
//
// Nothing here reaches beyond the cache: oneDNN's own process-wide primitive cache and the heap's free pages are the
// application's to manage (rnn_runtime_set_primitive_cache_capacity, rnn_runtime_release_free_memory).
#pragma once

#include <cstddef>
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

    size_t size() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return index_.size();
    }
    size_t capacity() const { return capacity_; }

    // The cached value, now the most recently used; null when absent.
    std::shared_ptr<Value> find(const Key &key) {
        std::lock_guard<std::mutex> lock(mutex_);
        return find_locked(key);
    }

    // Keeps value under key unless another caller cached one first; returns the one kept, most recently used. When
    // full, the least recently used entry goes first.
    std::shared_ptr<Value> insert(const Key &key, std::shared_ptr<Value> value) {
        std::shared_ptr<Value> evicted; // destroyed after the lock is released: freeing JIT code is not free
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (auto existing = find_locked(key)) return existing;
            if (index_.size() >= capacity_) {
                evicted = std::move(recency_.back().second);
                index_.erase(recency_.back().first);
                recency_.pop_back();
            }
            recency_.emplace_front(key, std::move(value));
            index_.emplace(key, recency_.begin());
            value = recency_.front().second;
        }
        evicted.reset();
        return value;
    }

private:
    using entry = std::pair<Key, std::shared_ptr<Value>>;

    std::shared_ptr<Value> find_locked(const Key &key) {
        auto it = index_.find(key);
        if (it == index_.end()) return nullptr;
        recency_.splice(recency_.begin(), recency_, it->second);
        return it->second->second;
    }

    const size_t capacity_;
    mutable std::mutex mutex_;
    std::list<entry> recency_; // most recently used first
    std::map<Key, typename std::list<entry>::iterator, Less> index_;
};

} // namespace rnnshim
