// OpenMP's thread count is a setting of the calling thread (its nthreads ICV), which the application may rely on for
// its own parallel regions: a call sets the count it runs on and puts the caller's back when it returns or throws.
#pragma once

#include <omp.h>

namespace rnnshim {

class openmp_threads_scope {
public:
    explicit openmp_threads_scope(int threads) : saved_(omp_get_max_threads()) { omp_set_num_threads(threads); }
    ~openmp_threads_scope() { omp_set_num_threads(saved_); }
    openmp_threads_scope(const openmp_threads_scope &) = delete;
    openmp_threads_scope &operator=(const openmp_threads_scope &) = delete;

    // A different count for the rest of the call; the caller's still comes back at the end.
    void set(int threads) { omp_set_num_threads(threads); }

private:
    const int saved_;
};

} // namespace rnnshim
