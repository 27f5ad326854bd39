namespace RnnNative.Inference;

/// <summary>
/// Cuts one window of records into batches: sorted by length (stable, so equal lengths keep arrival order) when
/// bucketing, then greedily filled while the batch stays within the size and padded-token limits and (when bucketing)
/// its padding efficiency stays at or above <see cref="BatchPredictorOptions.MinBatchPaddingEfficiency"/>, so the
/// whole run's efficiency is at least that floor.
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
        long useful = 0;
        foreach (int i in order)
        {
            int length = lengths[i], candidate = Math.Max(longest, length);
            bool full = current.Count + 1 > options.MaxBatchSize || (long)(current.Count + 1) * candidate > options.MaxBatchTokens;
            // Sorted by length, a record can only raise the batch's longest; in the sparse long tail that would pad every
            // shorter record up to it, so the batch closes rather than fall under the efficiency floor.
            bool wasteful = options.Bucketing && useful + length < options.MinBatchPaddingEfficiency * (current.Count + 1) * candidate;
            if (current.Count > 0 && (full || wasteful))
            {
                batches.Add([.. current]);
                current.Clear();
                candidate = length;
                useful = 0;
            }
            current.Add(i);
            useful += length;
            longest = candidate;
        }
        if (current.Count > 0) batches.Add([.. current]);
        return batches;
    }
}
