// Waiting on an atomic the way the small-batch path needs: spin for a bounded time (the other thread is usually
// running and about to write), then sleep on the futex behind std::atomic::wait (it may have lost its core, or the
// process may be idle), so a wait costs at most the spin in CPU time. Every 64 pauses the spinner also yields its core,
// so that when the machine has more runnable threads than cores the thread it waits for can run in its place.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif
#include <thread>

namespace rnnshim::small_batch {

inline void cpu_pause() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
}

// Returns once `a` holds a value other than `old` (read with acquire).
template <class T> void spin_then_wait(const std::atomic<T> &a, T old, std::chrono::microseconds spin) {
    const auto deadline = std::chrono::steady_clock::now() + spin;
    for (uint32_t i = 1; a.load(std::memory_order_acquire) == old; ++i) {
        cpu_pause();
        if (i % 64 != 0) continue;
        if (std::chrono::steady_clock::now() >= deadline) {
            while (a.load(std::memory_order_acquire) == old) a.wait(old, std::memory_order_acquire);
            return;
        }
        std::this_thread::yield();
    }
}

// Returns once `a` holds `target` (read with acquire).
template <class T> void spin_until_equal(const std::atomic<T> &a, T target, std::chrono::microseconds spin) {
    const auto deadline = std::chrono::steady_clock::now() + spin;
    for (uint32_t i = 1;; ++i) {
        T seen = a.load(std::memory_order_acquire);
        if (seen == target) return;
        cpu_pause();
        if (i % 64 != 0) continue;
        if (std::chrono::steady_clock::now() >= deadline) {
            while ((seen = a.load(std::memory_order_acquire)) != target) a.wait(seen, std::memory_order_acquire);
            return;
        }
        std::this_thread::yield();
    }
}

} // namespace rnnshim::small_batch
