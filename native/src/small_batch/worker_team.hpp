// The small-batch path's own threads. A call of this path is a chain of short steps, each ended by a barrier; run on an
// OpenMP team under the passive wait policy the oneDNN backend loads with, every team start and every barrier is a
// sleep and a wake-up, which on a small model costs more than the step. These workers instead wait the way a serving
// loop needs: after a job a worker spins for a bounded time for the next one, then sleeps on a futex
// (std::atomic::wait), so back-to-back calls find it running and an idle process costs nothing.
//
// Workers are process-wide and lent to one call at a time. A call asks for a number of members and gets at most that
// many: the calling thread, plus as many free workers as there are (new ones are started up to a bound). The path's
// results do not depend on how many members a call got (small_batch_path.hpp), so a busy pool makes a call slower,
// never different. Workers live until the process exits; they hold no resources but their stacks.
#pragma once

namespace rnnshim::small_batch {

struct worker;

// A call's team for as long as it lives: the calling thread and the workers lent to it.
class worker_team {
public:
    using job = void (*)(void *context, int member, int members);

    // Lends up to wanted - 1 workers (none when wanted <= 1).
    explicit worker_team(int wanted) noexcept;
    ~worker_team();
    worker_team(const worker_team &) = delete;
    worker_team &operator=(const worker_team &) = delete;

    // The calling thread plus the workers lent: 1 <= members() <= wanted.
    int members() const { return members_; }

    // Runs fn(context, k, members()) for every k, member 0 on the calling thread, and returns when all have returned.
    // fn must not throw (a worker that catches an exception ends the process); step code reports errors through its
    // context instead.
    void run(job fn, void *context) noexcept;

    template <class F> void run(F &f) noexcept {
        run([](void *c, int member, int members) { (*static_cast<F *>(c))(member, members); }, &f);
    }

private:
    worker **lent_ = nullptr;
    int members_ = 1;
};

} // namespace rnnshim::small_batch
