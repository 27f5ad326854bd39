using System.Diagnostics;

namespace RnnNative.Cli.Benchmarking;

/// <summary>Per-call latency percentiles (nearest rank) over every timed call of every caller.</summary>
internal sealed record LatencySummary(double P50Ms, double P99Ms)
{
    public static LatencySummary From(IEnumerable<IReadOnlyList<long>> ticksPerCaller)
    {
        var all = ticksPerCaller.SelectMany(t => t).ToArray();
        if (all.Length == 0) throw new ArgumentException("no timed calls to summarise", nameof(ticksPerCaller));
        Array.Sort(all);
        return new LatencySummary(Milliseconds(NearestRank(all, 0.50)), Milliseconds(NearestRank(all, 0.99)));
    }

    /// <summary>The smallest value with at least <paramref name="fraction"/> of the values at or below it.</summary>
    public static long NearestRank(long[] sorted, double fraction)
    {
        int rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
