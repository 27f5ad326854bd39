namespace RnnNative.Cli.Benchmarking;

/// <summary>One benchmark measurement: timed iterations after warm-up, and the rates derived from them.</summary>
internal sealed record BenchResult(int Iterations, double Seconds, double FlopsPerBatch, int Batch)
{
    public double MsPerBatch => Seconds * 1000 / Iterations;
    public double SequencesPerSecond => Batch * Iterations / Seconds;
    public double GigaflopsPerSecond => FlopsPerBatch * Iterations / Seconds / 1e9;
}
