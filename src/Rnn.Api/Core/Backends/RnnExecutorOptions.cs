namespace RnnNative;

/// <summary>
/// How a backend should run a model: precision, CPU threads per call (0 = all cores), GPU device index, and for
/// <see cref="RnnPrecision.Int8"/> the calibrated activation quantization. With several callers on one executor, give
/// each call fewer threads (callers × threads ≤ cores).
/// </summary>
public sealed record RnnExecutorOptions(RnnPrecision Precision = RnnPrecision.F32, int Threads = 0, int Device = 0, Int8Quantization? Quantization = null)
{
    public static RnnExecutorOptions Default { get; } = new();
}
