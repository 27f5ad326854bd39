namespace RnnNative.Inference;

/// <summary>
/// Cuts one window of records into batches within the size and padded-token limits (a single longer sequence runs
/// alone). Without bucketing, batches are filled greedily in arrival order. With bucketing, the records are sorted by
/// length (stable, so equal lengths keep arrival order) and cut where the total cost is least, by dynamic programming
/// over the sorted lengths: a batch of n records padded to T steps costs T · (n + <see cref="StepOverhead"/>), and no
/// batch of several records falls under <see cref="BatchPredictorOptions.MinBatchPaddingEfficiency"/>. Greedy
/// filling of sorted lengths would put the sparse long tail of a real length distribution into one batch padded to
/// its longest record; the cut points found here give each part of the tail its own batch when that saves more padded
/// steps than it adds per-step overhead.
/// </summary>
internal static class BatchPlanner
{
    /// <summary>
    /// What one time step of a batch costs beyond its sequences, in sequence-steps: the per-step work that does not
    /// shrink with the batch (launching the step's GEMMs, the element-wise pass, a GEMM's poorer efficiency at a small
    /// batch). Smaller values cut more, smaller batches; larger ones approach one full batch per window.
    /// </summary>
    public const int StepOverhead = 8;

    /// <summary>Indices into <paramref name="lengths"/>, one array per batch, in the order the batches should run.</summary>
    public static List<int[]> Plan(IReadOnlyList<int> lengths, BatchPredictorOptions options)
    {
        var order = Enumerable.Range(0, lengths.Count).ToArray();
        if (!options.Bucketing) return Greedy(order, lengths, options);
        var keys = order.Select(i => lengths[i]).ToArray();
        // Array.Sort is unstable; the index as a tie-break makes it stable and deterministic.
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
        return LeastCost(order, lengths, options);
    }

    private static List<int[]> Greedy(int[] order, IReadOnlyList<int> lengths, BatchPredictorOptions options)
    {
        var batches = new List<int[]>();
        var current = new List<int>();
        int longest = 0;
        foreach (int i in order)
        {
            int candidate = Math.Max(longest, lengths[i]);
            if (current.Count > 0 && !Fits(current.Count + 1, candidate, options))
            {
                batches.Add([.. current]);
                current.Clear();
                candidate = lengths[i];
            }
            current.Add(i);
            longest = candidate;
        }
        if (current.Count > 0) batches.Add([.. current]);
        return batches;
    }

    /// <summary>
    /// <paramref name="order"/> is sorted by length, so a batch of the records order[i..j) is padded to the length of
    /// order[j − 1]. best[j] is the least cost of the first j records; each j looks back at most MaxBatchSize records.
    /// A single record is always a valid batch, so every j has a cut.
    /// </summary>
    private static List<int[]> LeastCost(int[] order, IReadOnlyList<int> lengths, BatchPredictorOptions options)
    {
        int count = order.Length;
        var prefix = new long[count + 1];
        for (int k = 0; k < count; k++) prefix[k + 1] = prefix[k] + lengths[order[k]];
        var best = new long[count + 1];
        var start = new int[count + 1];
        for (int j = 1; j <= count; j++)
        {
            int steps = lengths[order[j - 1]];
            best[j] = long.MaxValue;
            for (int i = j - 1; i >= 0 && j - i <= options.MaxBatchSize; i--)
            {
                int n = j - i;
                // Going left only adds records no longer than the rest, so both the limits and the efficiency get worse.
                if (n > 1 && (!Fits(n, steps, options) || prefix[j] - prefix[i] < options.MinBatchPaddingEfficiency * n * steps)) break;
                long cost = best[i] + (long)steps * (n + StepOverhead);
                if (cost < best[j])
                {
                    best[j] = cost;
                    start[j] = i;
                }
            }
        }
        var batches = new List<int[]>();
        for (int j = count; j > 0; j = start[j]) batches.Add(order[start[j]..j]);
        batches.Reverse();
        return batches;
    }

    private static bool Fits(int records, int steps, BatchPredictorOptions options) =>
        records <= options.MaxBatchSize && (long)records * steps <= options.MaxBatchTokens;
}
