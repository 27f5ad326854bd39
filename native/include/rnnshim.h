/* librnnshim: a flat C API over oneDNN's RNN primitives with PyTorch semantics (nn.RNN / nn.LSTM / nn.GRU).
 *
 * Conventions: every function returns an rnn_status; on failure rnn_last_error() returns a message for the calling
 * thread. Objects are opaque handles that the shim validates on every call (a null, destroyed or foreign handle is an
 * error, never a crash). Every buffer comes with its element count, which the shim checks against the shapes.
 * No C++ exception crosses this boundary. */
#ifndef RNNSHIM_H
#define RNNSHIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define RNN_API __declspec(dllexport)
#else
#define RNN_API __attribute__((visibility("default")))
#endif

/* Bumped whenever a signature or struct below changes; the C# side refuses a shim with another value. */
#define RNN_SHIM_ABI_VERSION 5

typedef enum rnn_status {
    RNN_STATUS_OK = 0,
    RNN_STATUS_INVALID_ARGUMENT = 1, /* a null pointer, a bad handle, a shape or count that does not fit */
    RNN_STATUS_UNSUPPORTED = 2,      /* a valid request this build or CPU cannot run (e.g. f16, bf16 without AVX-512) */
    RNN_STATUS_OUT_OF_MEMORY = 3,
    RNN_STATUS_BACKEND_ERROR = 4,    /* oneDNN refused or failed */
    RNN_STATUS_INTERNAL_ERROR = 5,   /* anything else; a bug in the shim */
} rnn_status;

typedef enum rnn_cell { RNN_CELL_TANH = 0, RNN_CELL_RELU = 1, RNN_CELL_LSTM = 2, RNN_CELL_GRU = 3 } rnn_cell;
typedef enum rnn_precision { RNN_PRECISION_F32 = 0, RNN_PRECISION_BF16 = 1, RNN_PRECISION_F16 = 2 } rnn_precision;
/* Which f32 inference path runs a call: AUTO picks the small-batch path (per-thread blocks of recurrent weights that
 * stay in each core's cache, one GEMM for the input projection) for small batches and oneDNN's RNN primitive for
 * larger ones; ALWAYS and NEVER force one. Training and bf16 always run oneDNN's primitive. */
typedef enum rnn_small_batch_path {
    RNN_SMALL_BATCH_AUTO = 0, RNN_SMALL_BATCH_ALWAYS = 1, RNN_SMALL_BATCH_NEVER = 2
} rnn_small_batch_path;

/* One prepared model: converted weights and cached primitives, shared read-only by any number of threads calling it
 * at once; each call borrows its own scratch from a pool the executor owns. */
typedef struct rnn_executor rnn_executor;
typedef struct rnn_context rnn_context;   /* what a training forward pass keeps for one backward pass */

typedef struct rnn_model_desc {
    int32_t cell;          /* rnn_cell */
    int32_t input_size;
    int32_t hidden_size;
    int32_t num_layers;
    int32_t bidirectional; /* 0 or 1 */
    int32_t has_bias;      /* 0 or 1 */
    int32_t precision;     /* rnn_precision */
    int32_t threads;       /* 0 = all cores */
    int32_t proj_size;     /* PyTorch's proj_size: 0 = none; LSTM only, 1 <= proj_size < hidden_size; f32 only (oneDNN
                            * 2.6 computes bf16 LSTM projections wrongly) and not int8 */
    /* How the executor runs; 0 in any of these asks for its default, so a zeroed tail runs as the defaults do. They
     * change speed and memory, never results. rnn_model_param_count reads only the fields above. */
    int32_t chunk_steps;   /* unidirectional inference runs each layer over at most this many steps before the next
                            * layer, so its workspace holds one chunk, not seq_len steps: 0 = 32; -1 = none (every layer
                            * over all steps, as training and bidirectional models run); else 1 to 1048576 */
    int32_t parallel_directions; /* both directions of a bidirectional layer side by side, one thread each: 0 = when a
                                  * call runs on 2 or 3 threads; 1 = always; -1 = never */
    int32_t int8_batch_split;    /* int8 only: a call on several threads splits its batch into one part per thread,
                                  * each run on one thread: 0 = yes; 1 = yes; -1 = never */
    int32_t primitive_cache_capacity; /* primitives (one per shape a call meets) the executor keeps, least recently
                                       * used dropped first: 0 = 32, or 128 for int8; else 1 to 65536 */
    int32_t small_batch_path; /* rnn_small_batch_path: f32, bf16 and int8 inference */
} rnn_model_desc;

typedef struct rnn_capabilities {
    int32_t abi_version;   /* RNN_SHIM_ABI_VERSION of the loaded shim */
    int32_t onednn_major, onednn_minor, onednn_patch;
    int32_t max_threads;   /* what threads = 0 means */
    int32_t bf16;          /* 1 when bf16 can run (AVX-512 core or better) */
    int32_t bf16_native;   /* 1 when the CPU has AVX512_BF16 instructions */
    char isa[64];          /* oneDNN's effective ISA, NUL-terminated */
} rnn_capabilities;

/* Shapes: input (T, N, I), or (N, T, I) when batch_first; lengths[N] with 1 <= len <= T or null for all T;
 * h states (L*D, N, S) and c states (L*D, N, H); output (T, N, D*S) in the input's layout, zeros at padded steps; S is
 * proj_size with a projection, else H. Parameters are one flat float buffer: PyTorch's state_dict tensors (weight_ih_l0,
 * weight_hh_l0, bias_ih_l0, bias_hh_l0, weight_hr_l0 with a projection, ..._reverse) concatenated in state_dict order.
 * Optional inputs are a null pointer with count 0. */
typedef struct rnn_forward_args {
    int32_t seq_len;
    int32_t batch;
    int32_t batch_first;
    int32_t threads;       /* OpenMP threads for this call; 0 = the executor's. Concurrent calls x threads <= cores. The
                            * calling thread's OpenMP thread count (omp_get_max_threads) is as it was when the call returns. */
    const int32_t *lengths;
    const float *input; int64_t input_count;
    const float *h0; int64_t h0_count;
    const float *c0; int64_t c0_count;
    float *output; int64_t output_count;
    float *hn; int64_t hn_count;
    float *cn; int64_t cn_count;       /* LSTM only; may be null */
} rnn_forward_args;

/* Gradients of sum(y*dy) + sum(hn*dhn) + sum(cn*dcn); absent output gradients are zeros. */
typedef struct rnn_backward_args {
    const float *grad_output; int64_t grad_output_count;
    const float *grad_hn; int64_t grad_hn_count;
    const float *grad_cn; int64_t grad_cn_count;
    float *grad_input; int64_t grad_input_count;
    float *grad_h0; int64_t grad_h0_count;
    float *grad_c0; int64_t grad_c0_count;         /* LSTM only; may be null */
    float *grad_params; int64_t grad_params_count; /* same flat layout as the parameters */
} rnn_backward_args;

/* The thread's last error message ("" when none); valid until the thread's next shim call. Never null. */
RNN_API const char *rnn_last_error(void);
RNN_API rnn_status rnn_version(int32_t *abi_version);
RNN_API rnn_status rnn_capabilities_query(rnn_capabilities *out);
RNN_API rnn_status rnn_model_param_count(const rnn_model_desc *desc, int64_t *count);

RNN_API rnn_status rnn_executor_create(const rnn_model_desc *desc, const float *params, int64_t params_count,
        rnn_executor **out);
RNN_API rnn_status rnn_executor_destroy(rnn_executor *executor);
RNN_API rnn_status rnn_executor_update_weights(rnn_executor *executor, const float *params, int64_t params_count);
/* training = 0: inference, *context untouched (may be null). training = 1: *context receives a new context. */
RNN_API rnn_status rnn_executor_forward(rnn_executor *executor, const rnn_forward_args *args, int32_t training,
        rnn_context **context);
/* Consumes the context's saved state; a second backward on the same context is an error. */
RNN_API rnn_status rnn_executor_backward(rnn_executor *executor, rnn_context *context, const rnn_backward_args *args);
RNN_API rnn_status rnn_context_destroy(rnn_context *context);

/* int8 LSTM inference (oneDNN forward_inference only): u8 activations, s8 weights with one scale per gate and output
 * channel (computed here from the f32 weights: 127 / max|w| over W_ih and W_hh rows), f32 bias, f32 states and outputs.
 * Each layer l quantizes its input and its h as u8 = saturate(round(x * data_scales[l] + data_shifts[l])); the caller
 * calibrates these (layer_count = num_layers, scale > 0 and finite, shift in [0, 255]). desc->cell must be
 * RNN_CELL_LSTM and desc->precision RNN_PRECISION_F32 (the precision of the tensors exchanged). Forward takes the same
 * rnn_forward_args as rnn_executor_forward; calls on one executor may run from several threads at once. */
typedef struct rnn_int8_executor rnn_int8_executor;

RNN_API rnn_status rnn_int8_executor_create(const rnn_model_desc *desc, const float *params, int64_t params_count,
        const float *data_scales, const float *data_shifts, int64_t layer_count, rnn_int8_executor **out);
RNN_API rnn_status rnn_int8_executor_destroy(rnn_int8_executor *executor);
RNN_API rnn_status rnn_int8_executor_forward(rnn_int8_executor *executor, const rnn_forward_args *args);
/* int8_bytes: the prepared s8 weights (with oneDNN's compensation) and f32 bias; f32_bytes: the same tensors in f32. */
RNN_API rnn_status rnn_int8_executor_weight_bytes(rnn_int8_executor *executor, int64_t *int8_bytes, int64_t *f32_bytes);

/* Process-wide choices. No executor makes them: the application calls these where its workload needs them.
 *
 * oneDNN keeps every primitive it creates in a process-wide cache of its own (1024 by default, or
 * ONEDNN_PRIMITIVE_CACHE_CAPACITY), besides each executor's bounded cache; a primitive an executor dropped stays alive
 * there. A long run meeting thousands of shapes (batches of varied sizes) bounds its memory by setting this near the
 * executors' primitive_cache_capacity; 0 turns oneDNN's cache off. capacity: 0 to 1048576. */
RNN_API rnn_status rnn_runtime_set_primitive_cache_capacity(int32_t capacity);
RNN_API rnn_status rnn_runtime_primitive_cache_capacity(int32_t *capacity);
/* Hands the heap's free pages back to the OS (glibc's malloc_trim; elsewhere nothing). Primitives dropped from a cache
 * free a few hundred KiB each amid live allocations, which glibc keeps resident: a long run that drops many calls this
 * now and then (e.g. once per few thousand records). It walks every arena, so not on every call. */
RNN_API rnn_status rnn_runtime_release_free_memory(void);

#ifdef __cplusplus
}
#endif

#endif
