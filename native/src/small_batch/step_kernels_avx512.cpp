// The small-batch step kernels built for avx512 (compile flags in native/CMakeLists.txt).
#include "step_kernels_impl.hpp"

namespace rnnshim::small_batch {

const step_kernels &kernels_avx512() {
    static const step_kernels k = make_kernels("avx512");
    return k;
}

} // namespace rnnshim::small_batch
