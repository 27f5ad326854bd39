namespace RnnNative.Inference;

/// <summary>
/// Counters of a prediction run, safe to read while it runs. Padding efficiency = useful time steps ÷ computed time
/// steps (batch × longest sequence, summed over batches and forward passes).
/// </summary>
public sealed class PredictionStatistics
{
    private long _records, _errors, _tokens, _usefulSteps, _computedSteps, _batches;

    public long Records => Interlocked.Read(ref _records);
    public long Errors => Interlocked.Read(ref _errors);
    /// <summary>Time steps of the records that were predicted (their lengths).</summary>
    public long Tokens => Interlocked.Read(ref _tokens);
    public long UsefulSteps => Interlocked.Read(ref _usefulSteps);
    public long ComputedSteps => Interlocked.Read(ref _computedSteps);
    public long Batches => Interlocked.Read(ref _batches);
    public double PaddingEfficiency => ComputedSteps == 0 ? 1 : (double)UsefulSteps / ComputedSteps;

    internal void AddResult(PredictionResult result)
    {
        Interlocked.Increment(ref _records);
        if (result.IsError) Interlocked.Increment(ref _errors);
        else Interlocked.Add(ref _tokens, result.Record.Length);
    }

    internal void AddPass(long useful, long computed)
    {
        Interlocked.Add(ref _usefulSteps, useful);
        Interlocked.Add(ref _computedSteps, computed);
    }

    internal void AddBatch() => Interlocked.Increment(ref _batches);

    /// <summary>Adds the time steps and batches (not the records) counted by <paramref name="other"/>.</summary>
    internal void AddPasses(PredictionStatistics other)
    {
        AddPass(other.UsefulSteps, other.ComputedSteps);
        Interlocked.Add(ref _batches, other.Batches);
    }
}
