namespace RnnNative.Validation;

/// <summary>How the sequences of a validation batch differ in length.</summary>
public enum LengthPattern
{
    /// <summary>Every sequence has length T.</summary>
    AllEqual,

    /// <summary>Distinct lengths (as far as T allows), in no sorted order.</summary>
    DistinctUnsorted,

    /// <summary>At least two sequences share a length shorter than T.</summary>
    WithTies,

    /// <summary>One sequence of length 1 beside one of length T; the rest anywhere between.</summary>
    OneAndFull,
}

public static class LengthPatternExtensions
{
    /// <summary>Short label for case names.</summary>
    public static string Label(this LengthPattern pattern) => pattern switch
    {
        LengthPattern.AllEqual => "equal",
        LengthPattern.DistinctUnsorted => "distinct",
        LengthPattern.WithTies => "ties",
        LengthPattern.OneAndFull => "1-and-T",
        _ => throw new ArgumentOutOfRangeException(nameof(pattern)),
    };

    /// <summary>Variable lengths need at least two sequences and two steps; with fewer every pattern is all-equal.</summary>
    public static bool IsMeaningful(this LengthPattern pattern, int batch, int seqLen) =>
        pattern == LengthPattern.AllEqual || (batch >= 2 && seqLen >= 2);

    /// <summary>Draws lengths in 1..T following the pattern.</summary>
    public static int[] Generate(this LengthPattern pattern, int batch, int seqLen, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!pattern.IsMeaningful(batch, seqLen))
            throw new ArgumentException($"Length pattern {pattern} needs at least 2 sequences and 2 steps; got N = {batch}, T = {seqLen}.", nameof(pattern));
        var lengths = new int[batch];
        switch (pattern)
        {
            case LengthPattern.AllEqual:
                Array.Fill(lengths, seqLen);
                break;
            case LengthPattern.DistinctUnsorted:
                // Lengths spread over 1..T; when N > T they repeat, since no more distinct values exist.
                for (int n = 0; n < batch; n++) lengths[n] = seqLen - (n % seqLen);
                rng.Shuffle(lengths);
                if (IsNonIncreasing(lengths)) (lengths[0], lengths[^1]) = (lengths[^1], lengths[0]);
                break;
            case LengthPattern.WithTies:
                for (int n = 0; n < batch; n++) lengths[n] = rng.Next(1, seqLen + 1);
                var (a, b) = TwoDistinctIndices(batch, rng);
                int tie = rng.Next(1, seqLen);
                lengths[a] = tie;
                lengths[b] = tie;
                break;
            case LengthPattern.OneAndFull:
                for (int n = 0; n < batch; n++) lengths[n] = rng.Next(1, seqLen + 1);
                var (one, full) = TwoDistinctIndices(batch, rng);
                lengths[one] = 1;
                lengths[full] = seqLen;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(pattern));
        }
        return lengths;
    }

    private static (int, int) TwoDistinctIndices(int batch, Random rng)
    {
        int a = rng.Next(batch);
        int b = rng.Next(batch - 1);
        return (a, b >= a ? b + 1 : b);
    }

    private static bool IsNonIncreasing(int[] values)
    {
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[i - 1]) return false;
        return true;
    }
}
