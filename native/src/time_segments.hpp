// Variable-length batches as oneDNN can run them: sort sequences by length (longest first) and cut time at every
// distinct length. Within a segment [t0, t1) every sequence of the first `rows` sorted rows is active, so one primitive
// over a (t1-t0, rows) view runs exactly the live steps; states cross segment boundaries through src/dst_iter, rows
// that drop out keep their final state, and a right-to-left pass walks the segments backwards so each sequence starts
// at its own end. Padded steps are never touched.
#pragma once

#include <cstdint>
#include <vector>

namespace rnnshim {

struct time_segment {
    int64_t t0, t1, rows;
    int64_t steps() const { return t1 - t0; }
};

struct batch_plan {
    int64_t seq_len = 0, batch = 0;      // batch: the rows this plan runs
    int64_t caller_batch = 0;            // the rows of the caller's tensors (batch, unless this plan is a part of one)
    std::vector<int64_t> order;          // sorted row k holds the caller's sequence order[k]
    bool identity = true;                // the caller's batch is already sorted (order[k] == k)
    bool full_length = true;             // every sequence spans all seq_len steps
    std::vector<time_segment> segments;  // ascending time
};

// lengths may be null (all full length); each length must be in [1, seq_len] (checked here).
batch_plan plan_batch(int64_t seq_len, int64_t batch, const int32_t *lengths);

// Part `part` of `parts` of a whole plan: the whole's sorted rows k with k % parts == part (so parts get balanced lengths),
// still longest first, as a plan of their own whose order indexes the caller's full batch (caller_batch is the whole's).
// lengths: the same as given to plan_batch.
batch_plan plan_part(const batch_plan &whole, const int32_t *lengths, int64_t part, int64_t parts);

} // namespace rnnshim
