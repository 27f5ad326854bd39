namespace RnnNative.Inference;

/// <summary>
/// Cuts one window of records into batches: sorted by length (stable, so equal lengths keep arrival order) when
/// bucketing, then greedily filled while the batch stays within the size and padded-token limits.
/// </summary>
internal static class BatchPlanner
{
    /// <summary>Indices into <paramref name="lengths"/>, one array per batch.</summary>
    public static List<int[]> Plan(IReadOnlyList<int> lengths, BatchPredictorOptions options)
    {
        var order = Enumerable.Range(0, lengths.Count).ToArray();
        if (options.Bucketing)
        {
            var keys = order.Select(i => lengths[i]).ToArray();
            // Array.Sort is unstable; the index as a tie-break makes it stable and deterministic.
            Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
        }
        var batches = new List<int[]>();
        var current = new List<int>();
        int longest = 0;
        foreach (int i in order)
        {
            int candidate = Math.Max(longest, lengths[i]);
            if (current.Count > 0 && (current.Count + 1 > options.MaxBatchSize || (long)(current.Count + 1) * candidate > options.MaxBatchTokens))
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
}
