using RnnNative.Models;

namespace RnnNative.Inference;

/// <summary>
/// How a generator continues each record's tokens: up to <see cref="MaxNewTokens"/> tokens sampled with
/// <see cref="Sampling"/>, stopping early at <see cref="StopToken"/>. Each record draws from its own random stream,
/// seeded from <see cref="Seed"/> and the record's id (<see cref="SeedFor"/>), so its result never depends on batching.
/// </summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 20;
    public SamplingStrategy Sampling { get; init; } = SamplingStrategy.Greedy;
    public int Seed { get; init; }
    public int? StopToken { get; init; }

    /// <summary>The seed of a record's random stream (a SplitMix64 finaliser over the id's hash and the seed).</summary>
    public int SeedFor(RecordId id)
    {
        ulong z = id.StableHash() ^ (ulong)(uint)Seed * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
