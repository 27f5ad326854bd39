// A bounded least-recently-used map from a primitive's shape to the primitive built for it. Each primitive holds JIT
// code and its descriptors (a few hundred KiB), and a stream of batches of varied sizes meets thousands of distinct
// shapes, so an unbounded or clear-when-full cache makes peak memory grow with the input. Evicting the least recently
// used entry keeps the shapes in steady use (the full batches) and drops the one-off ones (a window's last batch).
// Thread-safe: a lookup reorders the recency list, so every call takes the cache's mutex (never held while a primitive
// is built or run). Values are shared_ptrs, so a call still running an evicted primitive keeps it alive until it
// finishes.
//
// An evicted primitive frees its few hundred KiB amid live allocations, where glibc keeps them in its arenas: over a
// long input of varied shapes the process's resident memory grows with the input though the cache does not. So every
// `release_period` evictions the cache hands those free pages back to the OS (release_free_heap_pages).
#pragma once

#include "heap_release.hpp"

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
    // Trimming walks every arena, and the pages it returns are faulted back in when reused; once per 64 evictions was
    // within run-to-run noise of never trimming on the batch-inference workload (about 3,000 evictions per 100,000
    // short records).
    static constexpr size_t release_period = 64;

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
        bool release = false;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (auto existing = find_locked(key)) return existing;
            if (index_.size() >= capacity_) {
                evicted = std::move(recency_.back().second);
                index_.erase(recency_.back().first);
                recency_.pop_back();
                release = ++evictions_ % release_period == 0;
            }
            recency_.emplace_front(key, std::move(value));
            index_.emplace(key, recency_.begin());
            value = recency_.front().second;
        }
        evicted.reset();
        if (release) release_free_heap_pages();
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
    size_t evictions_ = 0;
};

// The primitives an f32/bf16 executor keeps. The shapes in steady use (full batches) stay and the one-off ones go
// first; each primitive holds a few hundred KiB, so the bound is most of what an executor's memory grows by as shapes
// come and go. Measured on rnn predict: 32 rather than 128 took peak RSS over 500,000 short records from 138-144 to
// 107 MiB, while the batch-inference workload (2-layer LSTM classifier) and a bidirectional GRU tagger over
// long-tailed lengths stayed within run-to-run noise.
constexpr size_t executor_primitive_capacity = 32;

// oneDNN keeps every primitive it creates in its own process-wide cache as well (1024 by default), so a shim cache
// bound alone does not bound memory: the evicted primitives stay alive there. Set oneDNN's capacity to the largest
// `capacity` an executor asked for so far (enough to rebuild recently evicted shapes without JIT), unless the user
// chose one with ONEDNN_PRIMITIVE_CACHE_CAPACITY, which then wins.
inline void bound_onednn_primitive_cache(int capacity) {
    static std::mutex mutex;
    static int bound = 0;
    std::lock_guard<std::mutex> lock(mutex);
    if (capacity <= bound) return;
    bound = capacity;
    if (std::getenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY") || std::getenv("DNNL_PRIMITIVE_CACHE_CAPACITY")) return;
    dnnl::set_primitive_cache_capacity(capacity);
}

} // namespace rnnshim
