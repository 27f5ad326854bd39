#include "worker_team.hpp"

#include "spin_wait.hpp"

#include <omp.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace rnnshim::small_batch {
namespace {

// How long an idle worker keeps spinning for its next job before it sleeps: long enough that a serving loop's next
// call (or the next layer of the same call) finds it awake, short enough to give a contended core back quickly.
constexpr std::chrono::microseconds idle_spin{100};
// How long the calling thread spins for its workers to finish the job (they are usually a step behind at most).
constexpr std::chrono::microseconds join_spin{50};

// The most workers the process starts; past it a call runs with the members it can get.
int worker_bound() {
    const unsigned cores = std::thread::hardware_concurrency();
    return int(cores == 0 ? 64 : 4 * cores);
}

// The SSE floating-point mode (rounding, flush-to-zero, denormals-are-zero): a job runs in its caller's on every
// member, so a call's result does not depend on which threads it ran on, whatever mode the caller set.
unsigned fp_mode_now() {
#if defined(__x86_64__) || defined(__i386__)
    return _mm_getcsr();
#else
    return 0;
#endif
}

void set_fp_mode(unsigned mode) {
#if defined(__x86_64__) || defined(__i386__)
    _mm_setcsr(mode & ~0x3fu); // without the sticky exception flags
#else
    (void)mode;
#endif
}

} // namespace

struct worker {
    // Bumped by the lender to hand over a job, and by the worker when the job is done.
    alignas(64) std::atomic<uint32_t> posted{0};
    alignas(64) std::atomic<uint32_t> finished{0};
    worker_team::job fn = nullptr;
    void *context = nullptr;
    int member = 0, members = 0;
    unsigned fp_mode = 0;

    void loop() {
        // oneDNN calls inside a job (the input GEMM) run on this thread alone.
        omp_set_num_threads(1);
        for (uint32_t seen = 0;;) {
            spin_then_wait(posted, seen, idle_spin);
            seen = posted.load(std::memory_order_acquire);
            const unsigned own_mode = fp_mode_now();
            set_fp_mode(fp_mode);
            try {
                fn(context, member, members);
            } catch (...) {
                std::terminate(); // a job must not throw; the path's step code does not
            }
            set_fp_mode(own_mode);
            finished.store(seen, std::memory_order_release);
            finished.notify_one();
        }
    }
};

namespace {

class pool {
public:
    static pool &instance() {
        static pool *p = new pool(); // never destroyed: workers sleep until the process ends
        return *p;
    }

    // Up to `count` free workers, starting new ones below the bound; fewer if threads cannot be started.
    void lend(int count, std::vector<worker *> &out) {
        std::lock_guard<std::mutex> lock(mutex_);
        while (int(out.size()) < count && !free_.empty()) {
            out.push_back(free_.back());
            free_.pop_back();
        }
        while (int(out.size()) < count && int(all_.size()) < bound_) {
            try {
                auto w = std::make_unique<worker>();
                std::thread(&worker::loop, w.get()).detach();
                all_.push_back(w.release()); // capacity reserved: cannot throw
                out.push_back(all_.back());  // `out` has room for `count`
            } catch (...) {
                break; // no more threads (or memory) for now: the call runs with the members it has
            }
        }
    }

    void give_back(const std::vector<worker *> &lent) {
        std::lock_guard<std::mutex> lock(mutex_);
        for (worker *w : lent) free_.push_back(w); // capacity reserved at start-up: no allocation here
    }

private:
    pool() : bound_(worker_bound()) {
        all_.reserve(size_t(bound_));
        free_.reserve(size_t(bound_));
    }

    const int bound_;
    std::mutex mutex_;
    std::vector<worker *> all_, free_;
};

} // namespace

// The workers a thread's current team holds; reused by its next calls, so a call allocates nothing once warm.
thread_local std::vector<worker *> lent_by_this_thread;

worker_team::worker_team(int wanted) noexcept {
    std::vector<worker *> &lent = lent_by_this_thread;
    lent.clear();
    if (wanted > 1) {
        try {
            lent.reserve(size_t(wanted - 1));
            pool::instance().lend(wanted - 1, lent);
        } catch (...) {
            // No memory for the list: whatever was lent goes back, and the call runs on the calling thread alone.
            if (!lent.empty()) pool::instance().give_back(lent);
            lent.clear();
        }
    }
    lent_ = lent.data();
    members_ = int(lent.size()) + 1;
}

worker_team::~worker_team() {
    if (members_ > 1) pool::instance().give_back(lent_by_this_thread);
    lent_by_this_thread.clear();
}

void worker_team::run(job fn, void *context) noexcept {
    const unsigned mode = fp_mode_now();
    for (int k = 1; k < members_; ++k) {
        worker *w = lent_[k - 1];
        w->fn = fn;
        w->context = context;
        w->member = k;
        w->members = members_;
        w->fp_mode = mode;
        w->posted.fetch_add(1, std::memory_order_release);
        w->posted.notify_one();
    }
    fn(context, 0, members_);
    for (int k = 1; k < members_; ++k) {
        worker *w = lent_[k - 1];
        spin_until_equal(w->finished, w->posted.load(std::memory_order_relaxed), join_spin);
    }
}

} // namespace rnnshim::small_batch
