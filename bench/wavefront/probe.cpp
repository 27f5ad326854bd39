// What a layer wavefront could gain over the small-batch path's split, before building one: a 2-layer LSTM on 2
// threads, run (split) as one call whose two threads share every layer's units, against (wavefront's steady state) its
// two layers as two 1-thread calls running at the same time, one per core, each streaming only its own layer's weights.
// The second is a lower bound on a wavefront's time: it leaves out the pipeline's fill (layer 1 starts a chunk of
// steps behind layer 0) and the hand-over of each chunk of h. If it is not clearly faster than the split, a wavefront
// cannot be. Build and run (after ./build.sh build):
//   g++ -O2 -std=c++20 -pthread bench/wavefront/probe.cpp -Inative/include -Lbuild/native/lib -lrnnshim \
//       -Wl,-rpath,build/native/lib -o build/wavefront-probe && build/wavefront-probe
#include "rnnshim.h"

#include <algorithm>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>
#include <vector>

namespace {

struct lstm {
    rnn_executor *e = nullptr;
    int input, hidden, layers, batch, steps;
    std::vector<float> x, y, hn, cn;

    lstm(int input_size, int hidden_size, int layer_count, int n, int t, int threads, int precision)
        : input(input_size), hidden(hidden_size), layers(layer_count), batch(n), steps(t) {
        rnn_model_desc d {RNN_CELL_LSTM, input, hidden, layers, 0, 1, precision, threads, 0};
        d.small_batch_path = RNN_SMALL_BATCH_ALWAYS;
        int64_t count = 0;
        rnn_model_param_count(&d, &count);
        std::mt19937 rng(1);
        std::uniform_real_distribution<float> u(-0.05f, 0.05f);
        std::vector<float> params(static_cast<size_t>(count));
        for (auto &p : params) p = u(rng);
        if (rnn_executor_create(&d, params.data(), count, &e) != RNN_STATUS_OK) {
            std::fprintf(stderr, "create: %s\n", rnn_last_error());
            std::exit(1);
        }
        x.resize(size_t(steps * batch * input));
        for (auto &v : x) v = u(rng) * 20;
        y.resize(size_t(steps * batch * hidden));
        hn.resize(size_t(layers * batch * hidden));
        cn.resize(hn.size());
    }
    void call(int threads) {
        rnn_forward_args a {};
        a.seq_len = steps; a.batch = batch; a.threads = threads;
        a.input = x.data(); a.input_count = int64_t(x.size());
        a.output = y.data(); a.output_count = int64_t(y.size());
        a.hn = hn.data(); a.hn_count = int64_t(hn.size());
        a.cn = cn.data(); a.cn_count = int64_t(cn.size());
        if (rnn_executor_forward(e, &a, 0, nullptr) != RNN_STATUS_OK) {
            std::fprintf(stderr, "forward: %s\n", rnn_last_error());
            std::exit(1);
        }
    }
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int main() {
    const int rounds = 9, calls = 40;
    std::printf("| model | precision | N | T | split: one call, 2 threads | two layers side by side, 1 thread each | layer 0 alone, 1 thread | layer 1 alone, 1 thread | side by side / split |\n");
    std::printf("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    struct shape { int input, hidden, batch, steps, precision; };
    for (const shape s : {shape {256, 512, 1, 100, RNN_PRECISION_F32}, shape {256, 512, 4, 100, RNN_PRECISION_F32},
                 shape {256, 512, 1, 100, RNN_PRECISION_BF16}, shape {64, 256, 1, 50, RNN_PRECISION_F32}}) {
        lstm whole(s.input, s.hidden, 2, s.batch, s.steps, 2, s.precision);
        lstm first(s.input, s.hidden, 1, s.batch, s.steps, 1, s.precision);
        lstm second(s.hidden, s.hidden, 1, s.batch, s.steps, 1, s.precision);
        std::vector<double> split, side, alone0, alone1;
        std::barrier start(2);
        for (int round = 0; round < rounds; ++round) {
            // Rounds alternate the order; each figure is the mean of `calls` calls, the table the median of rounds.
            auto time_split = [&] {
                auto t0 = std::chrono::steady_clock::now();
                for (int i = 0; i < calls; ++i) whole.call(2);
                split.push_back(seconds_since(t0) / calls);
            };
            auto time_side = [&] {
                auto t0 = std::chrono::steady_clock::now();
                std::thread other([&] {
                    start.arrive_and_wait();
                    for (int i = 0; i < calls; ++i) second.call(1);
                });
                start.arrive_and_wait();
                for (int i = 0; i < calls; ++i) first.call(1);
                other.join();
                side.push_back(seconds_since(t0) / calls);
            };
            auto time_alone = [&] {
                auto t0 = std::chrono::steady_clock::now();
                for (int i = 0; i < calls; ++i) first.call(1);
                alone0.push_back(seconds_since(t0) / calls);
                t0 = std::chrono::steady_clock::now();
                for (int i = 0; i < calls; ++i) second.call(1);
                alone1.push_back(seconds_since(t0) / calls);
            };
            if (round % 2) { time_split(); time_side(); time_alone(); }
            else { time_side(); time_alone(); time_split(); }
        }
        const double a = median(split), b = median(side);
        std::printf("| LSTM %d (input %d) x2 | %s | %d | %d | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f |\n", s.hidden, s.input,
                s.precision == RNN_PRECISION_BF16 ? "bf16" : "f32", s.batch, s.steps, a * 1e3, b * 1e3, median(alone0) * 1e3,
                median(alone1) * 1e3, b / a);
        rnn_executor_destroy(whole.e);
        rnn_executor_destroy(first.e);
        rnn_executor_destroy(second.e);
    }
    return 0;
}
