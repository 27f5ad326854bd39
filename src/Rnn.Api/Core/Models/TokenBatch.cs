namespace RnnNative.Models;

/// <summary>
/// Token sequences of different lengths padded into one time-major block: id of sequence n at step t is
/// <c>Ids[t·N + n]</c>, with <see cref="PadId"/> past each sequence's end.
/// </summary>
public sealed class TokenBatch
{
    private TokenBatch(int[] ids, int[] lengths, int seqLen, int padId)
    {
        Ids = ids;
        Lengths = lengths;
        SeqLen = seqLen;
        PadId = padId;
    }

    public int[] Ids { get; }
    public int[] Lengths { get; }
    public int SeqLen { get; }
    public int Batch => Lengths.Length;
    public int PadId { get; }

    public int this[int t, int n] => Ids[t * Batch + n];

    public static TokenBatch FromSequences(IReadOnlyList<IReadOnlyList<int>> sequences, int padId = 0)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) throw new ArgumentException("A batch needs at least one sequence.", nameof(sequences));
        for (int n = 0; n < sequences.Count; n++)
            if (sequences[n] is null || sequences[n].Count == 0)
                throw new ArgumentException($"Sequence {n} is empty; every sequence needs at least one token.", nameof(sequences));
        int batch = sequences.Count;
        int seqLen = sequences.Max(s => s.Count);
        var ids = new int[seqLen * batch];
        Array.Fill(ids, padId);
        var lengths = new int[batch];
        for (int n = 0; n < batch; n++)
        {
            lengths[n] = sequences[n].Count;
            for (int t = 0; t < lengths[n]; t++) ids[t * batch + n] = sequences[n][t];
        }
        return new TokenBatch(ids, lengths, seqLen, padId);
    }

    /// <summary>Per (t, n), time-major: whether step t is inside sequence n.</summary>
    public bool[] StepMask()
    {
        var mask = new bool[Ids.Length];
        for (int t = 0; t < SeqLen; t++)
            for (int n = 0; n < Batch; n++) mask[t * Batch + n] = t < Lengths[n];
        return mask;
    }

    /// <summary>Per-step values aligned with the sequences (one per token), laid out time-major like <see cref="Ids"/>.</summary>
    public int[] AlignTimeMajor(IReadOnlyList<IReadOnlyList<int>> perSequence, string argument)
    {
        ArgumentNullException.ThrowIfNull(perSequence, argument);
        if (perSequence.Count != Batch)
            throw new ArgumentException($"{argument} must have one entry per sequence ({Batch}); got {perSequence.Count}.", argument);
        var result = new int[Ids.Length];
        for (int n = 0; n < Batch; n++)
        {
            if (perSequence[n].Count != Lengths[n])
                throw new ArgumentException($"{argument}[{n}] has {perSequence[n].Count} entries but sequence {n} has {Lengths[n]} tokens.", argument);
            for (int t = 0; t < Lengths[n]; t++) result[t * Batch + n] = perSequence[n][t];
        }
        return result;
    }
}
