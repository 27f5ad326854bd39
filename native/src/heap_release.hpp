// Hands the heap's free pages back to the OS. glibc returns freed memory only from the top of an arena; memory freed
// between live allocations stays resident until malloc_trim releases it (madvise on whole free pages; the allocations
// themselves do not move). Elsewhere the allocator's own policy applies and this does nothing. Called only when the
// application asks (rnn_runtime_release_free_memory): trimming walks every arena, and the pages it returns are faulted
// back in when reused.
#pragma once

#include <cstdlib> // defines __GLIBC__ where it applies

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace rnnshim {

inline void release_free_heap_pages() noexcept {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

} // namespace rnnshim
