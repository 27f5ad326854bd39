// Picks the widest step-kernel set the running CPU supports (the build compiles all of them), and VNNI's int8 kernel
// where the CPU has it (AVX512_VNNI comes with or without AVX512_BF16).
#include "step_kernels.hpp"

namespace rnnshim::small_batch {

const step_kernels &kernels_for_cpu() {
    static const step_kernels chosen = [] {
        __builtin_cpu_init();
        const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
        step_kernels set = avx512 && __builtin_cpu_supports("avx512bf16") ? kernels_avx512_bf16()
                : avx512                                                ? kernels_avx512()
                : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? kernels_avx2()
                                                                        : kernels_generic();
        if (avx512 && __builtin_cpu_supports("avx512vnni")) {
            set.int8_lstm = int8_lstm_vnni;
            set.int8_lstm_input = int8_lstm_input_vnni;
            set.int8_isa = "avx512_vnni";
        }
        return set;
    }();
    return chosen;
}

} // namespace rnnshim::small_batch
