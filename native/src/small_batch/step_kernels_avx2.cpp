// The small-batch step kernels built for avx2 (compile flags in native/CMakeLists.txt).
#include "step_kernels_impl.hpp"

namespace rnnshim::small_batch {

const step_kernels &kernels_avx2() {
    static const step_kernels k = make_kernels("avx2");
    return k;
}

} // namespace rnnshim::small_batch
