// The small-batch step kernels built for generic (compile flags in native/CMakeLists.txt).
#include "step_kernels_impl.hpp"

namespace rnnshim::small_batch {

const step_kernels &kernels_generic() {
    static const step_kernels k = make_kernels("generic");
    return k;
}

} // namespace rnnshim::small_batch
