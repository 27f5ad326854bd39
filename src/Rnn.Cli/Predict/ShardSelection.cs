namespace RnnNative.Cli.Predict;

/// <summary>
/// A deterministic, stable subset of the records by ordinal (their position in the whole input, counting bad records
/// too): shard <see cref="Index"/> of <see cref="Count"/> takes ordinals o with o mod Count = Index. It depends on
/// nothing but the input's order, so shards run anywhere, in any order, and a merge can interleave them back.
/// </summary>
internal readonly record struct ShardSelection(int Index, int Count)
{
    public static ShardSelection All { get; } = new(0, 1);

    public bool Includes(long ordinal) => ordinal % Count == Index;

    /// <summary>The global ordinal of this shard's <paramref name="local"/>-th record.</summary>
    public long GlobalOrdinal(long local) => local * Count + Index;

    /// <summary>How many of <paramref name="total"/> records fall in this shard.</summary>
    public long CountOf(long total) => total <= Index ? 0 : (total - Index + Count - 1) / Count;

    public static ShardSelection Create(int? index, int? count)
    {
        if (index is null && count is null) return All;
        if (index is null || count is null) throw new CliUsageException("--shard-index and --num-shards go together.");
        if (count < 1) throw new CliUsageException($"--num-shards {count}: there must be at least one shard.");
        if (index < 0 || index >= count) throw new CliUsageException($"--shard-index {index}: must be in [0, {count}) for --num-shards {count}.");
        return new(index.Value, count.Value);
    }
}
