// Every step-kernel set this CPU can run, on the same blocks: the AVX2, baseline and (where present) AVX-512, bf16 and
// VNNI sets must agree, so a CPU that picks another set than the build machine's gets the same arithmetic. The int8
// products are exact s32 sums, so every int8 kernel must give the same sums bit for bit; the float results may differ
// by rounding (FMA or not), within 1e-5. (The GRU and RNN kernels are the same templates with fewer gates.) Built from the kernel sources themselves (the shim exports none of them).
#include "small_batch/step_kernels.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace rnnshim::small_batch;

namespace {

int failures = 0;

void expect(bool ok, const std::string &what) {
    if (!ok) {
        std::printf("FAIL %s\n", what.c_str());
        ++failures;
    }
}

template <class T> struct aligned_vector {
    T *data;
    size_t count;
    explicit aligned_vector(size_t n) : data(static_cast<T *>(std::aligned_alloc(64, (n * sizeof(T) + 63) / 64 * 64))), count(n) {
        std::memset(data, 0, n * sizeof(T));
    }
    ~aligned_vector() { std::free(data); }
    aligned_vector(const aligned_vector &) = delete;
    aligned_vector &operator=(const aligned_vector &) = delete;
};

struct named_set {
    const char *name;
    const step_kernels *set;
};

std::vector<named_set> runnable_sets() {
    __builtin_cpu_init();
    std::vector<named_set> sets {{"generic", &kernels_generic()}};
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) sets.push_back({"avx2", &kernels_avx2()});
    const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
    if (avx512) sets.push_back({"avx512", &kernels_avx512()});
    if (avx512 && __builtin_cpu_supports("avx512bf16")) sets.push_back({"avx512_bf16", &kernels_avx512_bf16()});
    if (avx512 && __builtin_cpu_supports("avx512vnni")) {
        static step_kernels vnni = kernels_avx512();
        vnni.int8_lstm = int8_lstm_vnni;
        vnni.int8_lstm_input = int8_lstm_input_vnni;
        sets.push_back({"avx512_vnni (int8)", &vnni});
    }
    return sets;
}

// One LSTM block of 16 units for `rows` rows, through one set's kernel: float (f32 weights) or int8.
struct lstm_block_case {
    int64_t k_len, rows, gate_stride = 16;
    aligned_vector<float> w_f32, h, gx, bias, deq;
    aligned_vector<int8_t> w_s8;
    aligned_vector<uint32_t> h_quads;
    aligned_vector<int32_t> gx_q;

    lstm_block_case(int64_t k, int64_t n, std::mt19937 &rng)
        : k_len(k), rows(n), w_f32(size_t(k * 4 * 16)), h(size_t(n * k)), gx(size_t(n * 4 * 16)), bias(4 * 16), deq(4 * 16),
          w_s8(size_t((k + 3) / 4 * 4 * 4 * 16)), h_quads(size_t(n * ((k + 3) / 4))), gx_q(size_t(n * 4 * 16)) {
        std::uniform_real_distribution<float> u(-1.0f, 1.0f);
        std::uniform_int_distribution<int> s8(-127, 127), u8(0, 255), big(-200000, 200000);
        for (size_t i = 0; i < w_f32.count; ++i) w_f32.data[i] = u(rng) / std::sqrt(float(k));
        for (size_t i = 0; i < h.count; ++i) h.data[i] = u(rng);
        for (size_t i = 0; i < gx.count; ++i) gx.data[i] = u(rng);
        for (size_t i = 0; i < bias.count; ++i) bias.data[i] = u(rng);
        for (size_t i = 0; i < deq.count; ++i) deq.data[i] = 1.0f / (127.5f * (100.0f + 50.0f * u(rng)));
        // The weights past k_len stay 0, as packed_weights pads them; h's padding bytes may then be anything.
        for (int64_t q = 0; q < k; ++q)
            for (int64_t j = 0; j < 4 * 16; ++j) w_s8.data[((q / 4) * 4 * 16 + j) * 4 + q % 4] = int8_t(s8(rng));
        for (size_t i = 0; i < h_quads.count; ++i) h_quads.data[i] = uint32_t(u8(rng)) * 0x01010101u ^ uint32_t(u8(rng)) << 8;
        for (size_t i = 0; i < gx_q.count; ++i) gx_q.data[i] = big(rng);
    }

    // Runs `kernel` on this block; returns every row's h then c.
    std::vector<float> run(void (*kernel)(const block_step &), bool int8) const {
        aligned_vector<float> c(size_t(rows * 16)), out(size_t(rows * 16));
        for (size_t i = 0; i < c.count; ++i) c.data[i] = float(int64_t(i % 7) - 3) / 4;
        std::vector<row_step> steps;
        const int64_t quads = (k_len + 3) / 4;
        for (int64_t n = 0; n < rows; ++n)
            steps.push_back({h.data + n * k_len, gx.data + n * 64, c.data + n * 16, h.data + n * k_len, out.data + n * 16, nullptr,
                    h_quads.data + n * quads, gx_q.data + n * 64});
        kernel({int8 ? static_cast<const void *>(w_s8.data) : static_cast<const void *>(w_f32.data), k_len, gate_stride, bias.data,
                nullptr, int8 ? deq.data : nullptr, steps.data(), rows});
        std::vector<float> result(out.data, out.data + out.count);
        result.insert(result.end(), c.data, c.data + c.count);
        return result;
    }

    // The f32 input projection of this block (W as the f32 weights, x as h): every row's four gates.
    std::vector<float> input(void (*kernel)(const input_step &)) const {
        aligned_vector<float> out(size_t(rows * 64));
        std::vector<const float *> x;
        std::vector<float *> o;
        for (int64_t n = 0; n < rows; ++n) {
            x.push_back(h.data + n * k_len);
            o.push_back(out.data + n * 64);
        }
        kernel({w_f32.data, k_len, gate_stride, x.data(), o.data(), rows});
        return std::vector<float>(out.data, out.data + out.count);
    }

    std::vector<int32_t> input(void (*kernel)(const int8_input_step &)) const {
        aligned_vector<int32_t> out(size_t(rows * 64));
        std::vector<const uint32_t *> x;
        std::vector<int32_t *> o;
        const int64_t quads = (k_len + 3) / 4;
        for (int64_t n = 0; n < rows; ++n) {
            x.push_back(h_quads.data + n * quads);
            o.push_back(out.data + n * 64);
        }
        kernel({w_s8.data, k_len, gate_stride, x.data(), o.data(), rows});
        return std::vector<int32_t>(out.data, out.data + out.count);
    }
};

float worst(const std::vector<float> &a, const std::vector<float> &b) {
    float w = 0;
    for (size_t i = 0; i < a.size(); ++i) w = std::max(w, std::fabs(a[i] - b[i]));
    return w;
}

} // namespace

int main() {
    const std::vector<named_set> sets = runnable_sets();
    std::printf("kernel sets on this CPU:");
    for (const auto &s : sets) std::printf(" %s", s.name);
    std::printf("\n");
    std::mt19937 rng(3);
    int compared = 0;
    for (int64_t k : {1, 5, 16, 37, 64})
        for (int64_t rows = 1; rows <= 9; ++rows) {
            const lstm_block_case c(k, rows, rng);
            const std::vector<float> f32 = c.run(sets[0].set->f32.lstm, false), q8 = c.run(sets[0].set->int8_lstm, true);
            const std::vector<int32_t> input = c.input(sets[0].set->int8_lstm_input);
            const std::vector<float> input_f32 = c.input(sets[0].set->input_lstm);
            for (size_t i = 1; i < sets.size(); ++i) {
                const std::string at = std::string(sets[i].name) + " against generic, k " + std::to_string(k) + ", rows " + std::to_string(rows);
                expect(worst(c.run(sets[i].set->f32.lstm, false), f32) <= 1e-5f, "f32 LSTM block, " + at);
                expect(worst(c.run(sets[i].set->int8_lstm, true), q8) <= 1e-5f, "int8 LSTM block, " + at);
                expect(c.input(sets[i].set->int8_lstm_input) == input, "int8 input projection (s32, bit for bit), " + at);
                expect(worst(c.input(sets[i].set->input_lstm), input_f32) <= 1e-5f, "f32 input projection, " + at);
                compared += 4;
            }
        }
    // The int8 kernel must compute something: all-zero gates would give h = 0.5 * tanh(0.5 c) from any weights.
    const lstm_block_case c(16, 2, rng);
    lstm_block_case zero(16, 2, rng);
    std::memset(zero.w_s8.data, 0, zero.w_s8.count);
    std::memcpy(zero.h_quads.data, c.h_quads.data, c.h_quads.count * sizeof(uint32_t));
    std::memcpy(zero.gx_q.data, c.gx_q.data, c.gx_q.count * sizeof(int32_t));
    std::memcpy(zero.deq.data, c.deq.data, c.deq.count * sizeof(float));
    std::memcpy(zero.bias.data, c.bias.data, c.bias.count * sizeof(float));
    expect(worst(c.run(sets.back().set->int8_lstm, true), zero.run(sets.back().set->int8_lstm, true)) > 1e-3f,
            "int8 LSTM block depends on its weights");
    std::printf(failures ? "%d failure(s) in %d comparisons\n" : "all kernel sets agree (%d comparisons)\n", failures ? failures : compared, compared);
    return failures ? 1 : 0;
}
