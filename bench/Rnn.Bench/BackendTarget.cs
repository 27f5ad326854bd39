namespace RnnNative.Bench;

/// <summary>
/// A backend and precision to measure, and how many callers share one executor (each call then gets
/// <see cref="BenchWorkload.Threads"/> / <see cref="Callers"/> threads). <see cref="OnnxRuntime"/> names the peer's row.
/// </summary>
public sealed record BackendTarget(string Backend, RnnPrecision Precision, int Callers = 1)
{
    public static BackendTarget OnnxRuntime { get; } = new("onnxruntime", RnnPrecision.F32);

    public static BackendTarget Managed { get; } = new("managed", RnnPrecision.F32);

    /// <summary>Threads each call gets: all cores shared among the callers.</summary>
    public int ThreadsPerCall => Math.Max(1, BenchWorkload.Threads / Callers);

    public override string ToString() =>
        $"{Backend}-{Precision.ToString().ToLowerInvariant()}" + (Callers > 1 ? $" {Callers}×{ThreadsPerCall}" : "");
}
