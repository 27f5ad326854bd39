// Drives full forward/backward cycles and error paths through the C API only, so a sanitizer build can watch every
// allocation the shim makes. Exit status 0 when every call behaved; numeric correctness is checked by the .NET suite.
#include "rnnshim.h"
#include "../src/primitive_cache.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

namespace {

int failures = 0;

void expect(bool ok, const char *what) {
    if (!ok) {
        std::printf("FAIL %s (last error: %s)\n", what, rnn_last_error());
        ++failures;
    }
}

// RNNSHIM_CYCLE_THREADS=n runs every executor and every call in this driver on n OpenMP threads; 1 keeps each call
// inside its calling thread (no OpenMP team anywhere), which ThreadSanitizer can check without knowing libgomp's
// synchronisation. Unset: the executors run on all cores and the concurrent calls on 1 or 2 threads each.
int cycle_threads() {
    static const int threads = [] {
        const char *env = std::getenv("RNNSHIM_CYCLE_THREADS");
        return env ? std::atoi(env) : 0;
    }();
    return threads;
}

// RNNSHIM_CYCLE_CALLS=n: calls per concurrent worker (default 12), to keep a sanitized run short.
int cycle_calls() {
    static const int calls = [] {
        const char *env = std::getenv("RNNSHIM_CYCLE_CALLS");
        const int n = env ? std::atoi(env) : 0;
        return n > 0 ? n : 12;
    }();
    return calls;
}

void cycle(rnn_cell cell, int layers, int bidirectional, int has_bias, int precision, bool varlen, int batch_first) {
    const int T = 6, N = 4, I = 5, H = 7, D = bidirectional ? 2 : 1;
    rnn_model_desc desc {cell, I, H, layers, bidirectional, has_bias, precision, cycle_threads()};
    int64_t count = 0;
    expect(rnn_model_param_count(&desc, &count) == RNN_STATUS_OK, "param count");
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> u(-0.5f, 0.5f);
    auto random = [&](size_t n) { std::vector<float> v(n); for (auto &x : v) x = u(rng); return v; };
    auto params = random(size_t(count));
    rnn_executor *e = nullptr;
    expect(rnn_executor_create(&desc, params.data(), count, &e) == RNN_STATUS_OK, "create");
    if (!e) return;

    const bool lstm = cell == RNN_CELL_LSTM;
    const size_t states = size_t(layers * D * N * H);
    auto x = random(size_t(T * N * I)), h0 = random(states), c0 = random(states);
    std::vector<int32_t> lengths = {3, 6, 1, 6};
    std::vector<float> y(size_t(T * N * D * H), 1.0f), hn(states), cn(states);
    rnn_forward_args f {};
    f.seq_len = T;
    f.batch = N;
    f.batch_first = batch_first;
    f.lengths = varlen ? lengths.data() : nullptr;
    f.input = x.data(); f.input_count = int64_t(x.size());
    f.h0 = h0.data(); f.h0_count = int64_t(states);
    if (lstm) { f.c0 = c0.data(); f.c0_count = int64_t(states); f.cn = cn.data(); f.cn_count = int64_t(states); }
    f.output = y.data(); f.output_count = int64_t(y.size());
    f.hn = hn.data(); f.hn_count = int64_t(states);

    expect(rnn_executor_forward(e, &f, 0, nullptr) == RNN_STATUS_OK, "inference forward");
    rnn_context *ctx = nullptr;
    expect(rnn_executor_forward(e, &f, 1, &ctx) == RNN_STATUS_OK, "training forward");
    for (float v : y) expect(std::isfinite(v), "finite output");

    auto dy = random(y.size()), dhn = random(states), dcn = random(states);
    std::vector<float> dx(x.size()), dh0(states), dc0(states), dparams(static_cast<size_t>(count));
    rnn_backward_args b {};
    b.grad_output = dy.data(); b.grad_output_count = int64_t(dy.size());
    b.grad_hn = dhn.data(); b.grad_hn_count = int64_t(states);
    if (lstm) { b.grad_cn = dcn.data(); b.grad_cn_count = int64_t(states); b.grad_c0 = dc0.data(); b.grad_c0_count = int64_t(states); }
    b.grad_input = dx.data(); b.grad_input_count = int64_t(dx.size());
    b.grad_h0 = dh0.data(); b.grad_h0_count = int64_t(states);
    b.grad_params = dparams.data(); b.grad_params_count = count;
    expect(rnn_executor_backward(e, ctx, &b) == RNN_STATUS_OK, "backward");
    expect(rnn_executor_backward(e, ctx, &b) == RNN_STATUS_INVALID_ARGUMENT, "second backward on one context is refused");
    expect(rnn_context_destroy(ctx) == RNN_STATUS_OK, "context destroy");

    expect(rnn_executor_update_weights(e, dparams.data(), count) == RNN_STATUS_OK, "update weights");
    expect(rnn_executor_forward(e, &f, 0, nullptr) == RNN_STATUS_OK, "forward after update");
    // A training context outliving its executor must stay safe to destroy.
    expect(rnn_executor_forward(e, &f, 1, &ctx) == RNN_STATUS_OK, "training forward 2");
    expect(rnn_executor_destroy(e) == RNN_STATUS_OK, "destroy");
    expect(rnn_context_destroy(ctx) == RNN_STATUS_OK, "orphan context destroy");
}

void firewall() {
    rnn_model_desc desc {RNN_CELL_LSTM, 3, 0, 1, 0, 1, RNN_PRECISION_F32, 0};
    rnn_executor *e = nullptr;
    expect(rnn_executor_create(&desc, nullptr, 0, &e) == RNN_STATUS_INVALID_ARGUMENT, "hidden_size 0 refused");
    desc.hidden_size = 4;
    std::vector<float> params(10);
    expect(rnn_executor_create(&desc, params.data(), 10, &e) == RNN_STATUS_INVALID_ARGUMENT, "wrong param count refused");
    expect(rnn_executor_forward(reinterpret_cast<rnn_executor *>(0x1234), nullptr, 0, nullptr) == RNN_STATUS_INVALID_ARGUMENT,
            "garbage handle refused");
    expect(rnn_executor_destroy(nullptr) == RNN_STATUS_INVALID_ARGUMENT, "null destroy refused");
    desc.precision = RNN_PRECISION_F16;
    expect(rnn_executor_create(&desc, params.data(), 10, &e) == RNN_STATUS_UNSUPPORTED, "f16 refused");
    desc.precision = RNN_PRECISION_BF16;
    desc.proj_size = 2;
    expect(rnn_executor_create(&desc, params.data(), 10, &e) == RNN_STATUS_UNSUPPORTED, "bf16 LSTM projection refused");
    desc.precision = RNN_PRECISION_F32;
    desc.proj_size = 4;
    expect(rnn_executor_create(&desc, params.data(), 10, &e) == RNN_STATUS_INVALID_ARGUMENT, "proj_size = hidden_size refused");
    desc.proj_size = -1;
    expect(rnn_executor_create(&desc, params.data(), 10, &e) == RNN_STATUS_INVALID_ARGUMENT, "negative proj_size refused");
    desc.cell = RNN_CELL_GRU;
    desc.proj_size = 2;
    expect(rnn_executor_create(&desc, params.data(), 10, &e) == RNN_STATUS_INVALID_ARGUMENT, "GRU projection refused");
    desc.proj_size = 0;
    desc.small_batch_path = 3;
    expect(rnn_executor_create(&desc, params.data(), 10, &e) == RNN_STATUS_INVALID_ARGUMENT, "unknown small_batch_path refused");
}

// The small-batch path and oneDNN's primitive, each forced, on the same calls: every output within 1e-5 of the other
// in f32, within the .NET suite's bf16 tolerance (1/16) of the f32 primitive in bf16 (the .NET suite checks each against
// the reference). Bidirectional, projections (f32 only: a bf16 projection is refused), variable lengths, both layouts,
// batches on both sides of the automatic choice, and 1 and 2 threads, whose small-batch results must be equal bit for
// bit (every unit is computed by one thread in a fixed order).
void small_batch_paths_agree() {
    float bf16_worst = 0;
    for (const rnn_precision precision : {RNN_PRECISION_F32, RNN_PRECISION_BF16}) {
    struct shape { rnn_cell cell; int I, H, L, bidirectional, P, T, N, batch_first, varlen; };
    const shape shapes[] = {{RNN_CELL_LSTM, 12, 40, 2, 1, 0, 7, 3, 0, 1}, {RNN_CELL_LSTM, 9, 33, 2, 0, 17, 5, 12, 1, 1},
            {RNN_CELL_GRU, 16, 48, 3, 1, 0, 6, 1, 1, 0}, {RNN_CELL_TANH, 5, 20, 1, 0, 0, 8, 5, 0, 1},
            {RNN_CELL_RELU, 7, 17, 2, 1, 0, 4, 2, 1, 1}};
    std::mt19937 rng(5);
    for (const shape &s : shapes) {
        if (precision == RNN_PRECISION_BF16 && s.P) continue;
        const int D = s.bidirectional ? 2 : 1, S = s.P ? s.P : s.H;
        rnn_model_desc desc {s.cell, s.I, s.H, s.L, s.bidirectional, 1, precision, 2, s.P};
        desc.small_batch_path = RNN_SMALL_BATCH_ALWAYS;
        int64_t count = 0;
        rnn_model_param_count(&desc, &count);
        std::uniform_real_distribution<float> w(-1.0f / std::sqrt(float(s.H)), 1.0f / std::sqrt(float(s.H))), u(-1.0f, 1.0f);
        std::vector<float> params(static_cast<size_t>(count));
        for (auto &p : params) p = w(rng);
        rnn_executor *small = nullptr, *primitive = nullptr;
        const rnn_status created = rnn_executor_create(&desc, params.data(), count, &small);
        if (precision == RNN_PRECISION_BF16 && created == RNN_STATUS_UNSUPPORTED) return; // no AVX-512: no bf16 here
        expect(created == RNN_STATUS_OK, "create (small-batch path)");
        desc.small_batch_path = RNN_SMALL_BATCH_NEVER;
        desc.precision = RNN_PRECISION_F32;
        expect(rnn_executor_create(&desc, params.data(), count, &primitive) == RNN_STATUS_OK, "create (primitive)");
        if (!small || !primitive) return;
        const size_t states = size_t(s.L * D * s.N * S), cells = size_t(s.L * D * s.N * s.H);
        std::vector<float> x(size_t(s.T * s.N * s.I)), h0(states), c0(cells);
        for (auto *v : {&x, &h0, &c0})
            for (auto &e : *v) e = u(rng);
        std::vector<int32_t> lengths;
        for (int n = 0; n < s.N; ++n) lengths.push_back(1 + int32_t(rng() % unsigned(s.T)));
        struct result { std::vector<float> y, hn, cn; };
        auto run = [&](rnn_executor *e, int threads) {
            result r {std::vector<float>(size_t(s.T * s.N * D * S), -1.0f), std::vector<float>(states, -1.0f),
                    std::vector<float>(cells, -1.0f)};
            rnn_forward_args f {};
            f.seq_len = s.T; f.batch = s.N; f.batch_first = s.batch_first; f.threads = threads;
            f.lengths = s.varlen ? lengths.data() : nullptr;
            f.input = x.data(); f.input_count = int64_t(x.size());
            f.h0 = h0.data(); f.h0_count = int64_t(states);
            f.output = r.y.data(); f.output_count = int64_t(r.y.size());
            f.hn = r.hn.data(); f.hn_count = int64_t(states);
            if (s.cell == RNN_CELL_LSTM) {
                f.c0 = c0.data(); f.c0_count = int64_t(cells);
                f.cn = r.cn.data(); f.cn_count = int64_t(cells);
            }
            expect(rnn_executor_forward(e, &f, 0, nullptr) == RNN_STATUS_OK, "forward (paths agree)");
            return r;
        };
        const result a = run(small, 2), one = run(small, 1), b = run(primitive, 2);
        float worst = 0;
        for (auto [p, q] : {std::make_pair(&a.y, &b.y), std::make_pair(&a.hn, &b.hn), std::make_pair(&a.cn, &b.cn)})
            for (size_t i = 0; i < p->size(); ++i) worst = std::max(worst, std::fabs((*p)[i] - (*q)[i]));
        expect(worst <= (precision == RNN_PRECISION_BF16 ? 1.0f / 16 : 1e-5f), "small-batch path agrees with the f32 primitive");
        expect(a.y == one.y && a.hn == one.hn && a.cn == one.cn, "small-batch path: 1 and 2 threads equal bit for bit");
        if (precision == RNN_PRECISION_BF16) bf16_worst = std::max(bf16_worst, worst);
        rnn_executor_destroy(small);
        rnn_executor_destroy(primitive);
    }
    }
    // bf16 weights must make a difference: equal to f32 would mean the path ignored the precision.
    expect(bf16_worst > 1e-6f, "small-batch path in bf16 differs from f32");
}

// Several threads on one executor at once, shapes differing per call, each with its own OpenMP thread count: every
// result must equal, bit for bit, the same call made alone. Training forward/backward cycles run alongside, and then
// weight updates: each call must see one version of the weights whole, the old or the new.
struct concurrent_model {
    rnn_cell cell;
    int bidirectional, precision, proj_size;
    const char *name;
    rnn_small_batch_path small_batch_path = RNN_SMALL_BATCH_AUTO;
};

struct model_dims {
    int I, H, S, L, D, rows, DH;
    bool lstm;
};

struct inference_case {
    int T, N, batch_first, varlen, threads;
    int executor = 0; // int8 cases: which of the executors runs the case (an int8 call runs on its executor's threads)
    std::vector<float> x;
    std::vector<int32_t> lengths;
    std::vector<float> y, hn, cn;
};

struct training_case {
    int T, N, threads;
    std::vector<float> x, dy;
    std::vector<float> y, hn, cn, dx, dh0, dc0, dparams;
};

// The case's outputs filled with -1 (so an unwritten element shows), and the arguments of a forward call over it.
rnn_forward_args forward_args(inference_case &c, const model_dims &m) {
    c.y.assign(size_t(c.T * c.N * m.DH), -1.0f);
    c.hn.assign(size_t(m.rows * c.N * m.S), -1.0f);
    c.cn.assign(m.lstm ? size_t(m.rows * c.N * m.H) : 0, -1.0f);
    rnn_forward_args f {};
    f.seq_len = c.T;
    f.batch = c.N;
    f.batch_first = c.batch_first;
    f.threads = c.threads;
    f.lengths = c.varlen ? c.lengths.data() : nullptr;
    f.input = c.x.data(); f.input_count = int64_t(c.x.size());
    f.output = c.y.data(); f.output_count = int64_t(c.y.size());
    f.hn = c.hn.data(); f.hn_count = int64_t(c.hn.size());
    if (m.lstm) { f.cn = c.cn.data(); f.cn_count = int64_t(c.cn.size()); }
    return f;
}

rnn_status run_case(rnn_executor *e, inference_case &c, const model_dims &m) {
    const rnn_forward_args f = forward_args(c, m);
    return rnn_executor_forward(e, &f, 0, nullptr);
}

bool same_result(const inference_case &a, const inference_case &b) { return a.y == b.y && a.hn == b.hn && a.cn == b.cn; }

// A training forward pass and its backward pass; the status of the first call that failed.
rnn_status run_training(rnn_executor *e, training_case &c, const model_dims &m, int64_t count) {
    const size_t states = size_t(m.rows * c.N * m.S), cells = m.lstm ? size_t(m.rows * c.N * m.H) : 0;
    c.y.assign(size_t(c.T * c.N * m.DH), -1.0f);
    c.hn.assign(states, -1.0f);
    c.cn.assign(cells, -1.0f);
    c.dx.assign(c.x.size(), -1.0f);
    c.dh0.assign(states, -1.0f);
    c.dc0.assign(cells, -1.0f);
    c.dparams.assign(size_t(count), -1.0f);
    rnn_forward_args f {};
    f.seq_len = c.T; f.batch = c.N; f.threads = c.threads;
    f.input = c.x.data(); f.input_count = int64_t(c.x.size());
    f.output = c.y.data(); f.output_count = int64_t(c.y.size());
    f.hn = c.hn.data(); f.hn_count = int64_t(c.hn.size());
    if (m.lstm) { f.cn = c.cn.data(); f.cn_count = int64_t(c.cn.size()); }
    rnn_context *ctx = nullptr;
    rnn_status s = rnn_executor_forward(e, &f, 1, &ctx);
    if (s != RNN_STATUS_OK) return s;
    rnn_backward_args b {};
    b.grad_output = c.dy.data(); b.grad_output_count = int64_t(c.dy.size());
    b.grad_input = c.dx.data(); b.grad_input_count = int64_t(c.dx.size());
    b.grad_h0 = c.dh0.data(); b.grad_h0_count = int64_t(c.dh0.size());
    if (m.lstm) { b.grad_c0 = c.dc0.data(); b.grad_c0_count = int64_t(c.dc0.size()); }
    b.grad_params = c.dparams.data(); b.grad_params_count = count;
    s = rnn_executor_backward(e, ctx, &b);
    const rnn_status d = rnn_context_destroy(ctx);
    return s != RNN_STATUS_OK ? s : d;
}

bool same_result(const training_case &a, const training_case &b) {
    return a.y == b.y && a.hn == b.hn && a.cn == b.cn && a.dx == b.dx && a.dh0 == b.dh0 && a.dc0 == b.dc0 &&
            a.dparams == b.dparams;
}

void concurrent_calls(const concurrent_model &model) {
    const int threads_per_call = cycle_threads(), calls = cycle_calls(), workers = 4, trainings = 3, updates = 6;
    const int I = 6, H = 8, L = 2, D = model.bidirectional ? 2 : 1, S = model.proj_size ? model.proj_size : H;
    const model_dims m {I, H, S, L, D, L * D, D * S, model.cell == RNN_CELL_LSTM};
    rnn_model_desc desc {model.cell, I, H, L, model.bidirectional, 1, model.precision, threads_per_call > 0 ? threads_per_call : 2,
            model.proj_size};
    desc.small_batch_path = model.small_batch_path; // by name: the fields between are the tuning ones

    int64_t count = 0;
    rnn_model_param_count(&desc, &count);
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(-0.5f, 0.5f);
    std::vector<float> params(static_cast<size_t>(count)), updated(params.size());
    for (auto &p : params) p = u(rng);
    for (auto &p : updated) p = u(rng);
    rnn_executor *e = nullptr;
    expect(rnn_executor_create(&desc, params.data(), count, &e) == RNN_STATUS_OK, model.name);
    if (!e) return;

    std::vector<std::vector<inference_case>> cases(workers);
    for (int w = 0; w < workers; ++w)
        for (int call = 0; call < calls; ++call) {
            inference_case c;
            c.T = 1 + (w + call) % 5;
            c.N = 1 + (w * 7 + call) % 4;
            c.batch_first = call % 2;
            c.varlen = call % 3 != 0;
            c.threads = threads_per_call > 0 ? threads_per_call : 1 + (w + call) % 2;
            c.x.resize(size_t(c.T * c.N * I));
            for (auto &v : c.x) v = u(rng);
            for (int n = 0; n < c.N; ++n) c.lengths.push_back(1 + (n * 3 + call) % c.T);
            cases[size_t(w)].push_back(std::move(c));
        }
    std::vector<training_case> training(trainings);
    for (int step = 0; step < trainings; ++step) {
        training_case &c = training[size_t(step)];
        c.T = 2 + step;
        c.N = 3 - step % 2;
        c.threads = threads_per_call > 0 ? threads_per_call : 1 + step % 2;
        c.x.resize(size_t(c.T * c.N * I));
        for (auto &v : c.x) v = u(rng);
        c.dy.resize(size_t(c.T * c.N * m.DH));
        for (auto &v : c.dy) v = u(rng);
    }
    // Each call alone first, with each version of the weights: the expected results.
    auto alone = [&] {
        std::vector<std::vector<inference_case>> inference = cases;
        for (auto &list : inference)
            for (auto &c : list) expect(run_case(e, c, m) == RNN_STATUS_OK, "forward alone");
        std::vector<training_case> trained = training;
        for (auto &c : trained) expect(run_training(e, c, m, count) == RNN_STATUS_OK, "training alone");
        return std::make_pair(inference, trained);
    };
    const auto before = alone();
    expect(rnn_executor_update_weights(e, updated.data(), count) == RNN_STATUS_OK, "update weights (concurrent)");
    const auto after = alone();
    expect(rnn_executor_update_weights(e, params.data(), count) == RNN_STATUS_OK, "restore weights (concurrent)");

    // with_updates: a thread swaps the weights back and forth while the calls run.
    auto run_concurrently = [&](bool with_updates) {
        std::vector<int> bad(workers + 1, 0), mismatched(workers + 1, 0);
        std::vector<std::thread> threads;
        for (int w = 0; w < workers; ++w)
            threads.emplace_back([&, w] {
                for (int call = 0; call < calls; ++call) {
                    auto &c = cases[size_t(w)][size_t(call)];
                    if (run_case(e, c, m) != RNN_STATUS_OK) bad[size_t(w)]++;
                    else if (!same_result(c, before.first[size_t(w)][size_t(call)]) &&
                            !(with_updates && same_result(c, after.first[size_t(w)][size_t(call)])))
                        mismatched[size_t(w)]++;
                }
            });
        // Training on the same executor while the inference calls run.
        threads.emplace_back([&] {
            for (int step = 0; step < trainings; ++step) {
                training_case &c = training[size_t(step)];
                if (run_training(e, c, m, count) != RNN_STATUS_OK) bad[size_t(workers)]++;
                else if (!same_result(c, before.second[size_t(step)]) &&
                        !(with_updates && same_result(c, after.second[size_t(step)])))
                    mismatched[size_t(workers)]++;
            }
        });
        if (with_updates)
            threads.emplace_back([&] {
                for (int k = 0; k < updates; ++k) {
                    const std::vector<float> &next = k % 2 ? params : updated;
                    expect(rnn_executor_update_weights(e, next.data(), count) == RNN_STATUS_OK, "update weights during calls");
                    std::this_thread::yield();
                }
            });
        for (auto &t : threads) t.join();
        for (int b : bad) expect(b == 0, with_updates ? "concurrent call during updates" : "concurrent call");
        for (int x : mismatched)
            expect(x == 0, with_updates ? "concurrent result during updates equals the same call alone, old or new weights"
                                        : "concurrent result equals the same call alone");
    };
    run_concurrently(false);
    run_concurrently(true);
    expect(rnn_executor_destroy(e) == RNN_STATUS_OK, "destroy (concurrent)");
}

// int8 executors from several threads at once, batches of 1 to 5 rows and varied lengths, on one path (forced): every
// result must equal, bit for bit, the same call made alone. An int8 call runs on its executor's thread count; on the
// primitive, with several it splits the batch into one part per thread; on the small-batch path its members share each
// step's units. Either way the result must equal, bit for bit, the one-thread executor's.
void int8_concurrent_calls(rnn_small_batch_path path) {
    const int I = 5, H = 7, L = 2, D = 2, workers = 3, calls = cycle_calls();
    const model_dims m {I, H, H, L, D, L * D, D * H, true};
    std::vector<int> executor_threads = cycle_threads() > 0 ? std::vector<int> {cycle_threads()} : std::vector<int> {1, 2};
    rnn_model_desc desc {RNN_CELL_LSTM, I, H, L, 1, 1, RNN_PRECISION_F32, 1, 0};
    desc.small_batch_path = path;
    int64_t count = 0;
    rnn_model_param_count(&desc, &count);
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> u(-0.5f, 0.5f);
    std::vector<float> params(static_cast<size_t>(count));
    for (auto &p : params) p = u(rng);
    const float scales[L] = {127.5f, 127.5f}, shifts[L] = {127.5f, 127.5f};
    std::vector<rnn_int8_executor *> executors;
    for (int threads : executor_threads) {
        desc.threads = threads;
        rnn_int8_executor *q = nullptr;
        expect(rnn_int8_executor_create(&desc, params.data(), count, scales, shifts, L, &q) == RNN_STATUS_OK,
                "int8 create (concurrent)");
        if (q) executors.push_back(q);
    }
    if (executors.size() != executor_threads.size()) return;

    std::vector<std::vector<inference_case>> cases(workers);
    for (int w = 0; w < workers; ++w)
        for (int call = 0; call < calls; ++call) {
            inference_case c;
            c.T = 1 + (w * 3 + call) % 6;
            c.N = 1 + (w * 7 + call) % 5;
            c.batch_first = (w + call) % 2;
            c.varlen = call % 3 != 1;
            c.threads = 0;
            c.executor = int(size_t(w + call) % executors.size());
            c.x.resize(size_t(c.T * c.N * I));
            for (auto &v : c.x) v = u(rng);
            for (int n = 0; n < c.N; ++n) c.lengths.push_back(1 + (n * 5 + call) % c.T);
            cases[size_t(w)].push_back(std::move(c));
        }
    auto run = [&](rnn_int8_executor *q, inference_case &c) {
        const rnn_forward_args a = forward_args(c, m);
        return rnn_int8_executor_forward(q, &a);
    };
    std::vector<std::vector<inference_case>> alone = cases;
    for (auto &list : alone)
        for (auto &c : list) {
            expect(run(executors[size_t(c.executor)], c) == RNN_STATUS_OK, "int8 forward alone");
            inference_case one_thread = c;
            expect(run(executors[0], one_thread) == RNN_STATUS_OK, "int8 forward alone (first executor)");
            expect(same_result(c, one_thread), "int8 split result equals the one-thread executor's");
        }

    std::vector<int> bad(workers, 0), mismatched(workers, 0);
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w)
        threads.emplace_back([&, w] {
            for (int call = 0; call < calls; ++call) {
                auto &c = cases[size_t(w)][size_t(call)];
                if (run(executors[size_t(c.executor)], c) != RNN_STATUS_OK) bad[size_t(w)]++;
                else if (!same_result(c, alone[size_t(w)][size_t(call)])) mismatched[size_t(w)]++;
            }
        });
    for (auto &t : threads) t.join();
    for (int b : bad) expect(b == 0, "concurrent int8 forward");
    for (int x : mismatched) expect(x == 0, "concurrent int8 result equals the same call alone");
    for (auto *q : executors) expect(rnn_int8_executor_destroy(q) == RNN_STATUS_OK, "int8 destroy (concurrent)");
}


// The int8 small-batch path against the int8 primitive, same quantization, on shapes with both directions, several
// layers, variable lengths, h0 and c0, batch-first and time-major, hidden sizes off the 16-unit block. Both sum exactly
// in s32 and quantize each h to the same u8; the primitive then returns h dequantized from that u8, the path h as
// computed. So: c agrees to float rounding, and every h the path returns quantizes to the u8 the primitive's h is
// (except where it lies within float rounding of a rounding boundary). Both stay close to f32; the path gives the
// same bits on 1 and 2 threads.
void int8_paths_agree() {
    struct shape { int I, H, L, bidirectional, T, N, batch_first, varlen; };
    const shape shapes[] = {{12, 40, 2, 1, 7, 3, 0, 1}, {9, 33, 1, 0, 9, 1, 1, 0}, {16, 64, 3, 0, 5, 5, 1, 1},
            {24, 20, 2, 1, 6, 8, 0, 1}};
    const float scale = 127.5f, shift = 127.5f; // inputs and h in [-1, 1]
    std::mt19937 rng(9);
    float worst_c = 0, worst_f32 = 0;
    int64_t other_u8 = 0, compared = 0;
    for (const shape &s : shapes) {
        const int D = s.bidirectional ? 2 : 1;
        rnn_model_desc desc {RNN_CELL_LSTM, s.I, s.H, s.L, s.bidirectional, 1, RNN_PRECISION_F32, 2, 0};
        int64_t count = 0;
        rnn_model_param_count(&desc, &count);
        std::uniform_real_distribution<float> w(-1.0f / std::sqrt(float(s.H)), 1.0f / std::sqrt(float(s.H))), u(-1.0f, 1.0f);
        std::vector<float> params(static_cast<size_t>(count));
        for (auto &p : params) p = w(rng);
        std::vector<float> scales(size_t(s.L), scale), shifts(size_t(s.L), shift);
        rnn_int8_executor *small = nullptr, *primitive = nullptr;
        rnn_executor *f32 = nullptr;
        desc.small_batch_path = RNN_SMALL_BATCH_ALWAYS;
        expect(rnn_int8_executor_create(&desc, params.data(), count, scales.data(), shifts.data(), s.L, &small) == RNN_STATUS_OK,
                "int8 create (small-batch path)");
        desc.small_batch_path = RNN_SMALL_BATCH_NEVER;
        expect(rnn_int8_executor_create(&desc, params.data(), count, scales.data(), shifts.data(), s.L, &primitive) == RNN_STATUS_OK,
                "int8 create (primitive)");
        expect(rnn_executor_create(&desc, params.data(), count, &f32) == RNN_STATUS_OK, "f32 create (int8 paths)");
        if (!small || !primitive || !f32) return;
        const size_t states = size_t(s.L * D * s.N * s.H);
        std::vector<float> x(size_t(s.T * s.N * s.I)), h0(states), c0(states);
        for (auto *v : {&x, &h0, &c0})
            for (auto &e : *v) e = u(rng);
        std::vector<int32_t> lengths;
        for (int n = 0; n < s.N; ++n) lengths.push_back(1 + int32_t(rng() % unsigned(s.T)));
        struct result { std::vector<float> y, hn, cn; };
        auto run = [&](auto forward, int threads) {
            result r {std::vector<float>(size_t(s.T * s.N * D * s.H), -1.0f), std::vector<float>(states, -1.0f),
                    std::vector<float>(states, -1.0f)};
            rnn_forward_args f {};
            f.seq_len = s.T; f.batch = s.N; f.batch_first = s.batch_first; f.threads = threads;
            f.lengths = s.varlen ? lengths.data() : nullptr;
            f.input = x.data(); f.input_count = int64_t(x.size());
            f.h0 = h0.data(); f.h0_count = int64_t(states);
            f.c0 = c0.data(); f.c0_count = int64_t(states);
            f.output = r.y.data(); f.output_count = int64_t(r.y.size());
            f.hn = r.hn.data(); f.hn_count = int64_t(states);
            f.cn = r.cn.data(); f.cn_count = int64_t(states);
            expect(forward(f) == RNN_STATUS_OK, "forward (int8 paths agree)");
            return r;
        };
        auto int8_on = [](rnn_int8_executor *e) { return [e](const rnn_forward_args &f) { return rnn_int8_executor_forward(e, &f); }; };
        const result a = run(int8_on(small), 2), one = run(int8_on(small), 1), b = run(int8_on(primitive), 2);
        const result exact = run([&](const rnn_forward_args &f) { return rnn_executor_forward(f32, &f, 0, nullptr); }, 2);
        auto worst_between = [](const std::vector<float> &p, const std::vector<float> &q) {
            float worst = 0;
            for (size_t i = 0; i < p.size(); ++i) worst = std::max(worst, std::fabs(p[i] - q[i]));
            return worst;
        };
        worst_c = std::max(worst_c, worst_between(a.cn, b.cn));
        for (const result *r : {&a, &b})
            worst_f32 = std::max({worst_f32, worst_between(r->y, exact.y), worst_between(r->hn, exact.hn), worst_between(r->cn, exact.cn)});
        for (auto [p, q] : {std::make_pair(&a.y, &b.y), std::make_pair(&a.hn, &b.hn)})
            for (size_t i = 0; i < p->size(); ++i) {
                if ((*p)[i] == 0 && (*q)[i] == 0) continue; // a padded step
                const float v = (*p)[i] * scale + shift, primitive_u8 = (*q)[i] * scale + shift;
                if (std::fabs(v - std::floor(v) - 0.5f) < 1e-3f) continue; // on a rounding boundary: either u8
                ++compared;
                if (std::fabs(std::nearbyint(v) - primitive_u8) > 1e-3f) ++other_u8;
            }
        expect(a.y == one.y && a.hn == one.hn && a.cn == one.cn, "int8 small-batch path: 1 and 2 threads equal bit for bit");
        rnn_int8_executor_destroy(small);
        rnn_int8_executor_destroy(primitive);
        rnn_executor_destroy(f32);
    }
    std::printf("int8 small-batch path vs primitive: %lld of %lld h on another u8, worst |c diff| %.3g; vs f32 %.3g\n",
            (long long)other_u8, (long long)compared, worst_c, worst_f32);
    expect(compared > 1000 && other_u8 == 0, "int8 small-batch path: every h on the primitive's u8");
    expect(worst_c <= 1e-5f, "int8 small-batch path: c agrees with the primitive's");
    expect(worst_f32 <= 0.05f, "int8 paths stay close to f32");
}

// int8 LSTM: a calibrated forward pass close to f32 from several threads at once, its weight memory, and its refusals.
void int8_cycle() {
    const int T = 6, N = 4, I = 5, H = 7, L = 2, D = 2;
    rnn_model_desc desc {RNN_CELL_LSTM, I, H, L, 1, 1, RNN_PRECISION_F32, cycle_threads()};
    int64_t count = 0;
    rnn_model_param_count(&desc, &count);
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(-0.5f, 0.5f);
    std::vector<float> params(static_cast<size_t>(count));
    for (auto &p : params) p = u(rng);
    // Inputs in [-0.5, 0.5] and h in (-1, 1): one range [-1, 1] covers both, scale 127.5, shift 127.5.
    const float scales[L] = {127.5f, 127.5f}, shifts[L] = {127.5f, 127.5f};
    rnn_int8_executor *q = nullptr;
    expect(rnn_int8_executor_create(&desc, params.data(), count, scales, shifts, L, &q) == RNN_STATUS_OK, "int8 create");
    rnn_executor *f = nullptr;
    expect(rnn_executor_create(&desc, params.data(), count, &f) == RNN_STATUS_OK, "f32 create (int8 comparison)");
    if (!q || !f) return;
    int64_t int8_bytes = 0, f32_bytes = 0;
    expect(rnn_int8_executor_weight_bytes(q, &int8_bytes, &f32_bytes) == RNN_STATUS_OK, "int8 weight bytes");
    expect(int8_bytes > 0 && f32_bytes > 0, "int8 weight bytes reported");
    {
        // At a realistic size the s8 weights are about a quarter of f32 (tiny ones are dominated by layout padding).
        rnn_model_desc big {RNN_CELL_LSTM, 128, 128, 1, 0, 1, RNN_PRECISION_F32, cycle_threads()};
        int64_t big_count = 0;
        rnn_model_param_count(&big, &big_count);
        std::vector<float> big_params(static_cast<size_t>(big_count), 0.01f);
        rnn_int8_executor *b = nullptr;
        expect(rnn_int8_executor_create(&big, big_params.data(), big_count, scales, shifts, 1, &b) == RNN_STATUS_OK, "int8 create 128");
        int64_t b8 = 0, b32 = 0;
        expect(b && rnn_int8_executor_weight_bytes(b, &b8, &b32) == RNN_STATUS_OK, "int8 weight bytes 128");
        std::printf("int8 LSTM 128x128 weights: %lld bytes int8, %lld bytes f32\n", (long long)b8, (long long)b32);
        expect(b8 * 3 < b32, "int8 weights under a third of f32");
        if (b) rnn_int8_executor_destroy(b);
    }

    const size_t states = size_t(L * D * N * H);
    std::vector<float> x(size_t(T * N * I));
    for (auto &v : x) v = u(rng);
    std::vector<int32_t> lengths = {3, 6, 1, 6};
    auto run = [&](bool int8, std::vector<float> &y, std::vector<float> &hn, std::vector<float> &cn) {
        rnn_forward_args a {};
        a.seq_len = T; a.batch = N; a.batch_first = 1; a.lengths = lengths.data();
        a.input = x.data(); a.input_count = int64_t(x.size());
        a.output = y.data(); a.output_count = int64_t(y.size());
        a.hn = hn.data(); a.hn_count = int64_t(states);
        a.cn = cn.data(); a.cn_count = int64_t(states);
        return int8 ? rnn_int8_executor_forward(q, &a) : rnn_executor_forward(f, &a, 0, nullptr);
    };
    std::vector<float> y32(size_t(T * N * D * H)), hn32(states), cn32(states);
    expect(run(false, y32, hn32, cn32) == RNN_STATUS_OK, "f32 forward (int8 comparison)");
    std::vector<int> bad(3, 0);
    std::vector<std::thread> threads;
    for (int w = 0; w < 3; ++w)
        threads.emplace_back([&, w] {
            for (int call = 0; call < 10; ++call) {
                std::vector<float> y(y32.size(), 9.0f), hn(states), cn(states);
                if (run(true, y, hn, cn) != RNN_STATUS_OK) { bad[size_t(w)]++; continue; }
                for (size_t i = 0; i < y.size(); ++i)
                    if (!(std::fabs(y[i] - y32[i]) < 0.05f)) { bad[size_t(w)]++; break; }
            }
        });
    for (auto &t : threads) t.join();
    for (int b : bad) expect(b == 0, "concurrent int8 forward close to f32");

    rnn_int8_executor *other = nullptr;
    const float bad_scale[L] = {0.0f, 1.0f};
    expect(rnn_int8_executor_create(&desc, params.data(), count, bad_scale, shifts, L, &other) == RNN_STATUS_INVALID_ARGUMENT,
            "int8 scale 0 refused");
    expect(rnn_int8_executor_create(&desc, params.data(), count, scales, shifts, 1, &other) == RNN_STATUS_INVALID_ARGUMENT,
            "int8 layer count refused");
    desc.cell = RNN_CELL_GRU;
    int64_t gru_count = 0;
    rnn_model_param_count(&desc, &gru_count);
    std::vector<float> gru(static_cast<size_t>(gru_count));
    expect(rnn_int8_executor_create(&desc, gru.data(), gru_count, scales, shifts, L, &other) == RNN_STATUS_UNSUPPORTED,
            "int8 GRU refused");
    expect(rnn_int8_executor_forward(reinterpret_cast<rnn_int8_executor *>(f), nullptr) == RNN_STATUS_INVALID_ARGUMENT,
            "f32 handle refused by int8 forward");
    expect(rnn_int8_executor_destroy(q) == RNN_STATUS_OK, "int8 destroy");
    expect(rnn_int8_executor_destroy(q) == RNN_STATUS_INVALID_ARGUMENT, "int8 double destroy refused");
    expect(rnn_executor_destroy(f) == RNN_STATUS_OK, "f32 destroy (int8 comparison)");
}

} // namespace

// The executor's primitive cache is header-only, so its bound and eviction order are checked here directly.
void primitive_cache_bound() {
    rnnshim::primitive_cache<int, int> cache(3);
    for (int k = 0; k < 3; ++k) cache.insert(k, std::make_shared<int>(k * 10));
    expect(cache.find(0) && *cache.find(0) == 0, "cache finds an entry"); // 0 is now the most recently used: 1, 2, 0
    cache.insert(3, std::make_shared<int>(30));                              // evicts 1, the least recently used
    expect(cache.size() == 3, "cache stays within its bound");
    expect(!cache.find(1), "cache evicts the least recently used entry");
    expect(cache.find(0) && cache.find(2) && cache.find(3), "cache keeps the recently used entries");
    auto first = std::make_shared<int>(40);
    expect(cache.insert(4, first) == first && *cache.insert(4, std::make_shared<int>(41)) == 40,
            "cache keeps the first value inserted for a key");
    for (int k = 0; k < 100; ++k) cache.insert(100 + k, std::make_shared<int>(k));
    expect(cache.size() == cache.capacity(), "cache stays within its bound after many inserts");
}

// Threads looking up and inserting at once on a small cache: every value found is the one made for its key, the bound
// holds, and the evictions race with lookups. Under TSan this is
// what the cache's own lock is checked by.
void primitive_cache_concurrent() {
    rnnshim::primitive_cache<int, int> cache(8);
    constexpr int threads = 4, operations = 4000;
    std::vector<int> wrong(threads, 0), oversize(threads, 0);
    std::vector<std::thread> workers;
    for (int w = 0; w < threads; ++w)
        workers.emplace_back([&, w] {
            std::mt19937 rng(unsigned(w + 1));
            for (int i = 0; i < operations; ++i) {
                const int key = int(rng() % 64);
                auto value = cache.find(key);
                if (!value) value = cache.insert(key, std::make_shared<int>(key));
                if (*value != key) ++wrong[size_t(w)];
                if (cache.size() > cache.capacity()) ++oversize[size_t(w)];
            }
        });
    for (auto &t : workers) t.join();
    for (int w = 0; w < threads; ++w) {
        expect(wrong[size_t(w)] == 0, "concurrent cache returns the value made for the key");
        expect(oversize[size_t(w)] == 0, "concurrent cache stays within its bound");
    }
}

// oneDNN's process-wide cache is the application's: creating executors leaves it alone, and the runtime call sets it.
void onednn_cache_is_explicit() {
    int32_t before = -1;
    expect(rnn_runtime_primitive_cache_capacity(&before) == RNN_STATUS_OK, "runtime cache capacity query");
    rnn_model_desc desc {RNN_CELL_LSTM, 3, 4, 1, 0, 1, RNN_PRECISION_F32, 1};
    desc.primitive_cache_capacity = 5;
    int64_t count = 0;
    rnn_model_param_count(&desc, &count);
    std::vector<float> params(static_cast<size_t>(count), 0.1f);
    rnn_executor *e = nullptr;
    expect(rnn_executor_create(&desc, params.data(), count, &e) == RNN_STATUS_OK, "create (cache bound 5)");
    int32_t after = -1;
    rnn_runtime_primitive_cache_capacity(&after);
    expect(after == before, "creating an executor leaves oneDNN's process-wide cache as it was");
    if (e) rnn_executor_destroy(e);

    expect(rnn_runtime_set_primitive_cache_capacity(40) == RNN_STATUS_OK, "runtime cache capacity set");
    rnn_runtime_primitive_cache_capacity(&after);
    expect(after == 40, "oneDNN's cache takes the capacity set");
    expect(rnn_runtime_set_primitive_cache_capacity(-1) == RNN_STATUS_INVALID_ARGUMENT, "negative oneDNN cache capacity refused");
    expect(rnn_runtime_primitive_cache_capacity(nullptr) == RNN_STATUS_INVALID_ARGUMENT, "null capacity refused");
    expect(rnn_runtime_release_free_memory() == RNN_STATUS_OK, "release free memory");
    rnn_runtime_set_primitive_cache_capacity(before);
}

// The tail of rnn_model_desc: each field out of range is refused with its name, and each value in range is accepted.
void tuning_validation() {
    const rnn_model_desc base {RNN_CELL_LSTM, 3, 4, 1, 1, 1, RNN_PRECISION_F32, 1};
    int64_t count = 0;
    rnn_model_param_count(&base, &count);
    std::vector<float> params(static_cast<size_t>(count), 0.1f);
    const float scales[1] = {100.0f}, shifts[1] = {128.0f};
    auto refused = [&](rnn_model_desc d, const char *field, const char *what) {
        rnn_executor *e = nullptr;
        rnn_int8_executor *q = nullptr;
        expect(rnn_executor_create(&d, params.data(), count, &e) == RNN_STATUS_INVALID_ARGUMENT && !e, what);
        expect(std::strstr(rnn_last_error(), field) != nullptr, what);
        expect(rnn_int8_executor_create(&d, params.data(), count, scales, shifts, 1, &q) == RNN_STATUS_INVALID_ARGUMENT && !q, what);
        expect(std::strstr(rnn_last_error(), field) != nullptr, what);
    };
    auto accepted = [&](rnn_model_desc d, const char *what) {
        rnn_executor *e = nullptr;
        rnn_int8_executor *q = nullptr;
        expect(rnn_executor_create(&d, params.data(), count, &e) == RNN_STATUS_OK, what);
        expect(rnn_int8_executor_create(&d, params.data(), count, scales, shifts, 1, &q) == RNN_STATUS_OK, what);
        if (e) rnn_executor_destroy(e);
        if (q) rnn_int8_executor_destroy(q);
    };
    rnn_model_desc d = base;
    d.chunk_steps = -2;
    refused(d, "chunk_steps", "chunk_steps -2 refused");
    d.chunk_steps = (1 << 20) + 1;
    refused(d, "chunk_steps", "chunk_steps above its limit refused");
    d = base;
    d.parallel_directions = 2;
    refused(d, "parallel_directions", "parallel_directions 2 refused");
    d = base;
    d.int8_batch_split = -2;
    refused(d, "int8_batch_split", "int8_batch_split -2 refused");
    d = base;
    d.primitive_cache_capacity = -1;
    refused(d, "primitive_cache_capacity", "primitive_cache_capacity -1 refused");
    d.primitive_cache_capacity = 65537;
    refused(d, "primitive_cache_capacity", "primitive_cache_capacity above its limit refused");
    d = base;
    d.chunk_steps = -1;
    d.parallel_directions = 1;
    d.int8_batch_split = -1;
    d.primitive_cache_capacity = 1;
    accepted(d, "tuning at its lower limits accepted");
    d.chunk_steps = 1 << 20;
    d.parallel_directions = -1;
    d.int8_batch_split = 1;
    d.primitive_cache_capacity = 65536;
    accepted(d, "tuning at its upper limits accepted");
}

// A call's OpenMP thread count is the caller's setting only for the call: omp_get_max_threads() on the calling thread is
// as it was afterwards, for f32 inference, training forward and backward, and int8 (split and whole) alike.
void openmp_setting_restored() {
    const int T = 3, N = 2, I = 3, H = 4;
    // Under RNNSHIM_CYCLE_THREADS=1 every call stays on its calling thread; otherwise calls on 1 and 2 threads, and the
    // int8 executor's 2 threads split its batch of 2.
    const std::vector<int> call_threads = cycle_threads() > 0 ? std::vector<int> {cycle_threads()} : std::vector<int> {1, 2};
    rnn_model_desc desc {RNN_CELL_LSTM, I, H, 1, 1, 1, RNN_PRECISION_F32, cycle_threads() > 0 ? cycle_threads() : 2};
    int64_t count = 0;
    rnn_model_param_count(&desc, &count);
    std::vector<float> params(static_cast<size_t>(count), 0.1f);
    const float scales[1] = {100.0f}, shifts[1] = {128.0f};
    rnn_executor *e = nullptr;
    rnn_int8_executor *q = nullptr;
    expect(rnn_executor_create(&desc, params.data(), count, &e) == RNN_STATUS_OK, "create (OpenMP restore)");
    expect(rnn_int8_executor_create(&desc, params.data(), count, scales, shifts, 1, &q) == RNN_STATUS_OK, "int8 create (OpenMP restore)");
    if (!e || !q) return;
    const size_t states = size_t(2 * N * H);
    std::vector<float> x(size_t(T * N * I), 0.2f), y(size_t(T * N * 2 * H)), hn(states), cn(states);
    std::vector<float> dx(x.size()), dh0(states), dparams(static_cast<size_t>(count));
    rnn_forward_args f {};
    f.seq_len = T; f.batch = N;
    f.input = x.data(); f.input_count = int64_t(x.size());
    f.output = y.data(); f.output_count = int64_t(y.size());
    f.hn = hn.data(); f.hn_count = int64_t(states);
    f.cn = cn.data(); f.cn_count = int64_t(states);
    rnn_backward_args b {};
    b.grad_input = dx.data(); b.grad_input_count = int64_t(dx.size());
    b.grad_h0 = dh0.data(); b.grad_h0_count = int64_t(states);
    b.grad_params = dparams.data(); b.grad_params_count = count;

    const int saved = omp_get_max_threads();
    omp_set_num_threads(3); // what the application chose for its own regions, unlike any count the calls run on
    for (int threads : call_threads) {
        f.threads = threads;
        expect(rnn_executor_forward(e, &f, 0, nullptr) == RNN_STATUS_OK, "inference (OpenMP restore)");
        expect(omp_get_max_threads() == 3, "an inference call leaves the caller's OpenMP thread count as it was");
        rnn_context *ctx = nullptr;
        expect(rnn_executor_forward(e, &f, 1, &ctx) == RNN_STATUS_OK, "training forward (OpenMP restore)");
        expect(omp_get_max_threads() == 3, "a training forward pass leaves the caller's OpenMP thread count as it was");
        expect(rnn_executor_backward(e, ctx, &b) == RNN_STATUS_OK, "backward (OpenMP restore)");
        expect(omp_get_max_threads() == 3, "a backward pass leaves the caller's OpenMP thread count as it was");
        rnn_context_destroy(ctx);
    }
    for (int batch : {1, 2}) { // one row runs on one thread, two rows split into two parts
        f.batch = batch;
        f.threads = 0;
        f.input_count = int64_t(T * batch * I);
        f.output_count = int64_t(T * batch * 2 * H);
        f.hn_count = f.cn_count = int64_t(2 * batch * H);
        expect(rnn_int8_executor_forward(q, &f) == RNN_STATUS_OK, "int8 forward (OpenMP restore)");
        expect(omp_get_max_threads() == 3, "an int8 call leaves the caller's OpenMP thread count as it was");
    }
    omp_set_num_threads(saved);
    rnn_executor_destroy(e);
    rnn_int8_executor_destroy(q);
}

int main() {
    int32_t abi = 0;
    expect(rnn_version(&abi) == RNN_STATUS_OK && abi == RNN_SHIM_ABI_VERSION, "version");
    rnn_capabilities caps {};
    expect(rnn_capabilities_query(&caps) == RNN_STATUS_OK, "capabilities");
    std::printf("oneDNN %d.%d.%d isa=%s threads=%d bf16=%d\n", caps.onednn_major, caps.onednn_minor, caps.onednn_patch,
            caps.isa, caps.max_threads, caps.bf16);
    for (rnn_cell cell : {RNN_CELL_TANH, RNN_CELL_RELU, RNN_CELL_LSTM, RNN_CELL_GRU}) {
        cycle(cell, 2, 1, 1, RNN_PRECISION_F32, true, 0);
        cycle(cell, 1, 0, 0, RNN_PRECISION_F32, false, 1);
        if (caps.bf16) cycle(cell, 2, 1, 1, RNN_PRECISION_BF16, true, 1);
    }
    firewall();
    // The batches here (1-4) take the small-batch path under AUTO (f32 on one thread too, bf16 there at batch 1): each f32 model
    // once that way and once on oneDNN's primitive, forced; a bidirectional GRU on the small-batch path, forced.
    concurrent_calls({RNN_CELL_LSTM, 1, RNN_PRECISION_F32, 3, "create f32 bidirectional LSTM with projection (concurrent)"});
    concurrent_calls({RNN_CELL_LSTM, 1, RNN_PRECISION_F32, 3, "create f32 bidirectional LSTM with projection, primitive (concurrent)",
            RNN_SMALL_BATCH_NEVER});
    concurrent_calls({RNN_CELL_LSTM, 0, RNN_PRECISION_F32, 0, "create f32 LSTM, primitive (concurrent)", RNN_SMALL_BATCH_NEVER});
    concurrent_calls({RNN_CELL_GRU, 0, RNN_PRECISION_F32, 0, "create f32 GRU (concurrent)"});
    concurrent_calls({RNN_CELL_GRU, 0, RNN_PRECISION_F32, 0, "create f32 GRU, primitive (concurrent)", RNN_SMALL_BATCH_NEVER});
    concurrent_calls({RNN_CELL_GRU, 1, RNN_PRECISION_F32, 0, "create f32 bidirectional GRU, small-batch path (concurrent)",
            RNN_SMALL_BATCH_ALWAYS});
    small_batch_paths_agree();
    if (caps.bf16) {
        concurrent_calls({RNN_CELL_LSTM, 1, RNN_PRECISION_BF16, 0, "create bf16 bidirectional LSTM (concurrent)"});
        concurrent_calls({RNN_CELL_LSTM, 0, RNN_PRECISION_BF16, 0, "create bf16 LSTM (concurrent)"});
    }
    int8_cycle();
    int8_paths_agree();
    int8_concurrent_calls(RNN_SMALL_BATCH_ALWAYS);
    int8_concurrent_calls(RNN_SMALL_BATCH_NEVER);
    primitive_cache_bound();
    primitive_cache_concurrent();
    onednn_cache_is_explicit();
    tuning_validation();
    openmp_setting_restored();
    std::printf(failures ? "%d failure(s)\n" : "all cycles ok\n", failures);
    return failures ? 1 : 0;
}
