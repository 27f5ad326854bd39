// ThreadSanitizer cannot see OpenMP's synchronisation: libgomp is not instrumented, and it starts its pooled threads on
// a region and joins them again through futex barriers TSan does not intercept. Unaided, everything a team thread does
// in a parallel region "races" with what the encountering thread did before the region and does after it, and a freed
// buffer a team thread once touched "races" with its free.
//
// Linked into the ThreadSanitizer build of the cycle driver only, this file interposes the two libgomp entry points the
// shim and oneDNN call (GOMP_parallel, GOMP_barrier; see `nm -D`) and tells TSan exactly the happens-before edges the
// OpenMP specification guarantees, no others:
//  - region start: what the encountering thread did before the region happens before each team thread's body;
//  - region end (its implicit barrier): each team thread's body happens before the encountering thread goes on;
//  - a barrier: what each team thread did before it happens before any team thread goes past it.
// Two team threads of one region between barriers, and the regions of two concurrent callers, stay unordered, so a
// race between them is still reported. RNNSHIM_TSAN_OPENMP=0 passes every call straight on (to see TSan without it).
#include <sanitizer/tsan_interface.h>

#include <dlfcn.h>

#include <cstdlib>

namespace {

using parallel_fn = void (*)(void (*)(void *), void *, unsigned, unsigned);
using barrier_fn = void (*)();

// One parallel region: its body, and three distinct addresses TSan uses as synchronisation objects. Heap-allocated per
// region, so freeing it drops those objects and no edge leaks into a later region.
struct region {
    void (*body)(void *);
    void *data;
    char start, end, barrier[2]; // barrier k uses barrier[k % 2]: a fast thread can be one barrier ahead, never two
};

// The region a thread is running a body of, and how many barriers it has passed in it (regions nest).
struct team_position {
    region *r = nullptr;
    unsigned barriers = 0;
};
thread_local team_position position;

bool modelled() {
    static const bool on = [] {
        const char *env = std::getenv("RNNSHIM_TSAN_OPENMP");
        return !(env && env[0] == '0');
    }();
    return on;
}

template <class Fn>
Fn next(const char *name, const char *version) {
    void *f = dlvsym(RTLD_NEXT, name, version);
    if (!f) std::abort(); // no libgomp behind us: nothing could run
    return reinterpret_cast<Fn>(f);
}

void team_body(void *p) {
    auto *r = static_cast<region *>(p);
    __tsan_acquire(&r->start); // before reading r: the encountering thread wrote it
    const team_position outer = position;
    position = {r, 0};
    r->body(r->data);
    position = outer;
    __tsan_release(&r->end);
}

} // namespace

extern "C" void GOMP_parallel(void (*body)(void *), void *data, unsigned num_threads, unsigned flags) {
    static const parallel_fn real = next<parallel_fn>("GOMP_parallel", "GOMP_4.0");
    if (!modelled()) return real(body, data, num_threads, flags);
    auto *r = new region {body, data, 0, 0, {0, 0}};
    __tsan_release(&r->start);
    real(team_body, r, num_threads, flags);
    __tsan_acquire(&r->end);
    delete r;
}

extern "C" void GOMP_barrier() {
    static const barrier_fn real = next<barrier_fn>("GOMP_barrier", "GOMP_1.0");
    region *r = modelled() ? position.r : nullptr;
    if (!r) return real();
    char *sync = &r->barrier[position.barriers++ % 2];
    __tsan_release(sync);
    real();
    __tsan_acquire(sync);
}
