using RnnNative.Models;

namespace RnnNative.Inference;

/// <summary>
/// A model loaded for batch inference (<see cref="InferenceModelLoader"/>): it checks each record once, before
/// batching, and runs whole batches. Safe to run from several workers at once.
/// </summary>
public abstract class InferenceModel : IDisposable
{
    /// <summary>The ready-model pattern, or null for a bare RNN layer.</summary>
    public abstract ModelKind? Kind { get; }

    /// <summary>The classes a label indexes (classifier, tagger), or null where results carry no labels.</summary>
    public virtual int? Classes => null;

    /// <summary>What was loaded, in one line (for logs and summaries).</summary>
    public abstract string Description { get; }

    /// <summary>The reason a (readable) record cannot be predicted, or null when it can.</summary>
    internal abstract string? Check(PredictionRecord record);

    /// <summary>Results in the order of <paramref name="batch"/>; every record has passed <see cref="Check"/>.</summary>
    internal abstract PredictionResult[] Run(IReadOnlyList<PredictionRecord> batch, PredictionStatistics statistics);

    public abstract void Dispose();

    private protected static int Longest(IReadOnlyList<PredictionRecord> batch)
    {
        int longest = 0;
        foreach (var r in batch) longest = Math.Max(longest, r.Length);
        return longest;
    }

    private protected static int[] Lengths(IReadOnlyList<PredictionRecord> batch) => batch.Select(r => r.Length).ToArray();

    private protected static long Useful(IReadOnlyList<PredictionRecord> batch) => batch.Sum(r => (long)r.Length);

    private protected static string? CheckTokens(PredictionRecord record, TokenInputTable input)
    {
        if (record.Tokens is null) return "the model reads \"tokens\", but the record has \"features\"";
        if (record.Tokens.Length == 0) return "empty sequence";
        return input.Check(record.Tokens);
    }
}
