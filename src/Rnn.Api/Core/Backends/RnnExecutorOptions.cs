namespace RnnNative;

/// <summary>
/// How a backend should run a model: precision, CPU threads per call (0 = all cores), GPU device index, and for
/// <see cref="RnnPrecision.Int8"/> the calibrated activation quantization. With several callers on one executor, give
/// each call fewer threads (callers × threads ≤ cores).
/// </summary>
/// <param name="Precision">The arithmetic the backend computes in.</param>
/// <param name="Threads">
/// CPU threads each call runs on; 0 = all cores. Any number of threads may call one executor at once, and each call
/// gets this many threads of its own (or its request's <see cref="RnnInferenceRequest.Threads"/>), so the rule is
/// callers × threads ≤ cores: 4 callers × 1 thread fill 4 cores side by side, while 4 callers × all cores make the
/// calls compete for the same cores and each one slows down. The managed reference runs each call on its caller's
/// thread and ignores it.
/// </param>
/// <param name="Device">The GPU a GPU backend runs on.</param>
/// <param name="Quantization">For <see cref="RnnPrecision.Int8"/>: the calibrated activation quantization.</param>
/// <param name="SmallBatchPath">Which CPU path runs f32 inference; see <see cref="RnnNative.SmallBatchPath"/>.</param>
public sealed record RnnExecutorOptions(RnnPrecision Precision = RnnPrecision.F32, int Threads = 0, int Device = 0, Int8Quantization? Quantization = null,
    SmallBatchPath SmallBatchPath = SmallBatchPath.Auto)
{
    public static RnnExecutorOptions Default { get; } = new();
}
