#include "time_segments.hpp"

#include "error.hpp"

#include <algorithm>
#include <numeric>
#include <string>

namespace rnnshim {

namespace {

// p.order sorted longest first: one segment per distinct length, each over the rows still live in it.
void cut_segments(batch_plan &p, const int32_t *lengths) {
    int64_t t0 = 0;
    for (int64_t k = p.batch - 1; k >= 0; --k) {
        const int64_t len = lengths[p.order[size_t(k)]];
        if (len > t0) {
            p.segments.push_back({t0, len, k + 1});
            t0 = len;
        }
    }
}

} // namespace

batch_plan plan_batch(int64_t seq_len, int64_t batch, const int32_t *lengths) {
    batch_plan p;
    p.seq_len = seq_len;
    p.batch = batch;
    p.caller_batch = batch;
    p.order.resize(size_t(batch));
    std::iota(p.order.begin(), p.order.end(), int64_t(0));
    if (!lengths) {
        p.segments.push_back({0, seq_len, batch});
        return p;
    }
    for (int64_t n = 0; n < batch; ++n)
        if (lengths[n] < 1 || lengths[n] > seq_len)
            invalid("lengths[" + std::to_string(n) + "] = " + std::to_string(lengths[n]) +
                    " is out of range: each length must be between 1 and seq_len = " + std::to_string(seq_len));
    std::stable_sort(p.order.begin(), p.order.end(), [&](int64_t a, int64_t b) { return lengths[a] > lengths[b]; });
    for (int64_t k = 0; k < batch; ++k) {
        if (p.order[size_t(k)] != k) p.identity = false;
        if (lengths[k] != seq_len) p.full_length = false;
    }
    cut_segments(p, lengths);
    return p;
}

batch_plan plan_part(const batch_plan &whole, const int32_t *lengths, int64_t part, int64_t parts) {
    batch_plan p;
    p.seq_len = whole.seq_len;
    p.caller_batch = whole.caller_batch;
    for (int64_t k = part; k < whole.batch; k += parts) p.order.push_back(whole.order[size_t(k)]);
    p.batch = int64_t(p.order.size());
    p.identity = false;
    p.full_length = whole.full_length;
    if (!lengths) p.segments.push_back({0, p.seq_len, p.batch});
    else cut_segments(p, lengths);
    return p;
}

} // namespace rnnshim
