// The barrier that publishes h_t to a call's members at every step of the small-batch path: bounded spinning, then a
// futex sleep (spin_wait.hpp), reusable from one step to the next.
#pragma once

#include "spin_wait.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>

namespace rnnshim::small_batch {

class step_barrier {
public:
    // A step of the models this path serves takes 5-500 us on two threads; the wait between members that are all
    // running is a fraction of that.
    static constexpr std::chrono::microseconds spin_limit{50};

    explicit step_barrier(int members) : members_(members) {}

    void arrive_and_wait() {
        const uint32_t generation = generation_.load(std::memory_order_acquire);
        if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == members_) {
            arrived_.store(0, std::memory_order_relaxed);
            generation_.fetch_add(1, std::memory_order_release); // publishes the reset and everything written before
            generation_.notify_all();
            return;
        }
        spin_then_wait(generation_, generation, spin_limit);
    }

private:
    alignas(64) std::atomic<int> arrived_{0};
    alignas(64) std::atomic<uint32_t> generation_{0};
    const int members_;
};

} // namespace rnnshim::small_batch
