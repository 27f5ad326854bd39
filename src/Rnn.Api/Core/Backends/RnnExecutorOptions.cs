namespace RnnNative;

/// <summary>
/// How a backend should run a model: precision, CPU threads per call (0 = all cores), GPU device index, for
/// <see cref="RnnPrecision.Int8"/> the calibrated activation quantization, and the oneDNN backend's CPU tuning
/// (<see cref="ChunkSteps"/>, <see cref="ParallelDirections"/>, <see cref="Int8BatchSplit"/>,
/// <see cref="PrimitiveCacheCapacity"/>), whose defaults are what the backend measured best. The tuning changes speed and
/// memory, never results; the managed reference and the cuDNN backend ignore it. With several callers on one executor,
/// give each call fewer threads (callers × threads ≤ cores).
/// </summary>
/// <param name="Precision">The arithmetic the backend computes in.</param>
/// <param name="Threads">
/// CPU threads each call runs on; 0 = all cores. Any number of threads may call one executor at once, and each call
/// gets this many threads of its own (or its request's <see cref="RnnInferenceRequest.Threads"/>), so the rule is
/// callers × threads ≤ cores: 4 callers × 1 thread fill 4 cores side by side, while 4 callers × all cores make the
/// calls compete for the same cores and each one slows down. On a machine shared with other busy processes, count
/// only the cores they leave free, and prefer 1 thread per call for small models (hidden size a few hundred, short
/// batches), which has no thread team to wait on. The oneDNN backend loads OpenMP with passive waiting (unless
/// OMP_WAIT_POLICY or GOMP_SPINCOUNT is set), so a call on several threads slows down with the competition instead
/// of collapsing; OMP_WAIT_POLICY=active, set before the process starts, buys back some latency on cores the
/// process has to itself. The managed reference runs each call on its caller's thread and ignores it.
/// </param>
/// <param name="Device">The GPU a GPU backend runs on.</param>
/// <param name="Quantization">For <see cref="RnnPrecision.Int8"/>: the calibrated activation quantization.</param>
/// <param name="SmallBatchPath">Which CPU path runs inference; see <see cref="RnnNative.SmallBatchPath"/>.</param>
public sealed record RnnExecutorOptions(RnnPrecision Precision = RnnPrecision.F32, int Threads = 0, int Device = 0, Int8Quantization? Quantization = null,
    SmallBatchPath SmallBatchPath = SmallBatchPath.Auto)
{
    /// <summary>The largest <see cref="ChunkSteps"/>.</summary>
    public const int MaxChunkSteps = 1 << 20;

    /// <summary>The largest <see cref="PrimitiveCacheCapacity"/>.</summary>
    public const int MaxPrimitiveCacheCapacity = 65536;

    public static RnnExecutorOptions Default { get; } = new();

    /// <summary>
    /// oneDNN, unidirectional inference: each layer runs over at most this many time steps before the next layer runs
    /// over the same steps, so a call's working memory holds one chunk of activations between layers instead of the
    /// whole sequence and stops growing with the sequence length. null = 32 (as fast as running each layer over the
    /// whole sequence on the measured workloads); 0 = no chunks (every layer over the whole sequence, as training and
    /// bidirectional models always run); else 1 to <see cref="MaxChunkSteps"/>. Shorter chunks save memory and cost
    /// speed (4 steps cost plain RNNs 15-18 %).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside null, 0 to <see cref="MaxChunkSteps"/>.</exception>
    public int? ChunkSteps
    {
        get;
        init => field = value is null or (>= 0 and <= MaxChunkSteps) ? value
            : throw new ArgumentOutOfRangeException(nameof(ChunkSteps), value,
                $"ChunkSteps must be null (the default, 32), 0 (no chunks) or 1 to {MaxChunkSteps}.");
    }

    /// <summary>
    /// oneDNN, bidirectional models: run the two directions of a layer side by side, one thread each, instead of one
    /// after the other on all of the call's threads. null = when a call runs on 2 or 3 threads (where it measured
    /// faster); true = always; false = never.
    /// </summary>
    public bool? ParallelDirections { get; init; }

    /// <summary>
    /// oneDNN, <see cref="RnnPrecision.Int8"/>, a call on oneDNN's primitive (see <see cref="SmallBatchPath"/>): a call
    /// on several threads splits its batch into one part per thread,
    /// each part on one thread (oneDNN's int8 LSTM scales poorly across threads within one batch; the parts scale
    /// almost linearly, and results are bit-identical). Default true; false runs the whole batch on all threads.
    /// </summary>
    public bool Int8BatchSplit { get; init; } = true;

    /// <summary>
    /// oneDNN: how many prepared primitives (one per batch shape a call meets: rows, steps, threads) the executor keeps,
    /// the least recently used dropped first. Each holds a few hundred KiB of JIT code, so this bounds what an executor's
    /// memory grows by over a stream of varied batch shapes. null = 32 (128 for <see cref="RnnPrecision.Int8"/>, whose
    /// calls split into more shapes); else 1 to <see cref="MaxPrimitiveCacheCapacity"/>. oneDNN keeps a process-wide
    /// cache of its own as well: see <c>OneDnnRuntime.SetPrimitiveCacheCapacity</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value outside null, 1 to <see cref="MaxPrimitiveCacheCapacity"/>.</exception>
    public int? PrimitiveCacheCapacity
    {
        get;
        init => field = value is null or (>= 1 and <= MaxPrimitiveCacheCapacity) ? value
            : throw new ArgumentOutOfRangeException(nameof(PrimitiveCacheCapacity), value,
                $"PrimitiveCacheCapacity must be null (the default) or 1 to {MaxPrimitiveCacheCapacity}.");
    }
}
