namespace RnnNative.Cli.Benchmarking;

/// <summary>
/// One benchmark measurement: every caller's timed calls after warm-up, and the rates derived from them. The rates are
/// aggregate (all callers together over the timed wall-clock span); the latencies are per call.
/// </summary>
internal sealed record BenchResult(int Iterations, double Seconds, double FlopsPerBatch, int Batch, int Callers, LatencySummary Latency)
{
    /// <summary>Wall-clock time per batch over all callers: the inverse of the throughput, not one call's latency.</summary>
    public double MsPerBatch => Seconds * 1000 / Iterations;
    public double SequencesPerSecond => Batch * Iterations / Seconds;
    public double GigaflopsPerSecond => FlopsPerBatch * Iterations / Seconds / 1e9;
}
