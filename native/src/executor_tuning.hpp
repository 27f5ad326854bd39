// How an executor runs, as the caller chose it in rnn_model_desc's tail (validated, defaults resolved). None of it
// changes a result, only speed and memory.
#pragma once

#include "rnnshim.h"

#include <cstddef>
#include <cstdint>

namespace rnnshim {

enum class executor_kind { f32, int8 };

struct executor_tuning {
    // Unidirectional inference: steps per chunk; 0 runs it layer-major as training does.
    int64_t chunk_steps;
    // Bidirectional: 0 = when a call has 2 or 3 threads, 1 = always, -1 = never.
    int parallel_directions;
    // int8: a call on several threads splits its batch into one part per thread.
    bool int8_batch_split;
    size_t primitive_cache_capacity;

    bool run_directions_in_parallel(int threads) const {
        return parallel_directions == 0 ? threads >= 2 && threads <= 3 : parallel_directions > 0;
    }
};

// Checks the tail of a caller's description (a clear message naming the field for a value out of range) and resolves
// each 0 to the default for the kind of executor.
executor_tuning tuning_of(const rnn_model_desc &desc, executor_kind kind);

} // namespace rnnshim
