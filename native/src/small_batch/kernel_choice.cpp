// Picks the widest step-kernel set the running CPU supports (the build compiles all four).
#include "step_kernels.hpp"

namespace rnnshim::small_batch {

const step_kernels &kernels_for_cpu() {
    static const step_kernels &chosen = [&]() -> const step_kernels & {
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bf16")) return kernels_avx512_bf16();
        if (__builtin_cpu_supports("avx512f")) return kernels_avx512();
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return kernels_avx2();
        return kernels_generic();
    }();
    return chosen;
}

} // namespace rnnshim::small_batch
