using System.Diagnostics;

namespace RnnNative.Bench.Streams;

/// <summary>One offered-load level: what was sustained and the step latency percentiles.</summary>
internal sealed record LoadLevel(double Offered, double Achieved, double P50Ms, double P99Ms, double Refused);

/// <summary>
/// Open-loop load that rises by a factor per level until the p99 step latency passes the bound, then bisects between
/// the last level within it and the first beyond it. Each level issues steps at a fixed rate, in
/// 1 ms ticks, each to a random stream with no step outstanding (a client waits for its answer); a step's latency runs
/// from its issue to its completion. The first fifth of each level warms up and is not counted.
/// </summary>
internal static class LoadRamp
{
    /// <summary>Tries of a level before the ramp stops there: another process that takes a core for a moment passes the
    /// p99 bound of one try, not of three (every contender gets the same tries).</summary>
    public const int TriesPerLevel = 3;

    /// <summary>Bisections between the last level within the bound and the first beyond it, so the figure is not
    /// the ramp's step (25 %) below the real limit; every contender gets the same.</summary>
    public const int RefineSteps = 3;

    public static (LoadLevel? Best, List<LoadLevel> Levels) Run(StepServer server, double boundMs, double startRate, double growth, TimeSpan levelTime, TextWriter log)
    {
        var levels = new List<LoadLevel>();
        LoadLevel? best = null;
        double passed = 0, failed = double.PositiveInfinity;
        for (double rate = startRate; rate < 5e6; rate *= growth)
        {
            if (!TryLevel(rate)) { failed = rate; break; }
            passed = rate;
        }
        for (int i = 0; i < RefineSteps && passed > 0 && double.IsFinite(failed); i++)
        {
            double rate = (passed + failed) / 2;
            if (TryLevel(rate)) passed = rate;
            else failed = rate;
        }
        return (best, levels);

        bool TryLevel(double rate)
        {
            for (int attempt = 1; attempt <= TriesPerLevel; attempt++)
            {
                var level = RunLevel(server, rate, levelTime);
                levels.Add(level);
                bool within = level.P99Ms <= boundMs && level.Refused < 0.01 && level.Achieved >= 0.95 * level.Offered;
                log.WriteLine($"    offered {level.Offered,9:F0}/s  achieved {level.Achieved,9:F0}/s  p50 {level.P50Ms,7:F3} ms  p99 {level.P99Ms,8:F3} ms{(level.Refused > 0 ? $"  ({level.Refused:P1} not sent: every picked stream busy)" : "")}{(within ? "" : $"  over the bound (try {attempt} of {TriesPerLevel})")}");
                if (!within) continue;
                if (best is null || level.Achieved > best.Achieved) best = level;
                return true;
            }
            return false;
        }
    }

    /// <summary>
    /// Capacity without a latency bound: <paramref name="outstanding"/> streams each send their next step the moment the
    /// last one is answered (closed loop), for <paramref name="time"/>; steps completed per second. Less sensitive to
    /// other processes on the machine than a p99 bound.
    /// </summary>
    public static double Saturated(StepServer server, int outstanding, TimeSpan time)
    {
        long completed = 0;
        int running = 1;
        server.Completed = (s, _) =>
        {
            Interlocked.Increment(ref completed);
            if (Volatile.Read(ref running) == 1) server.Submit(s, Stopwatch.GetTimestamp());
        };
        int streams = Math.Min(outstanding, server.Streams);
        for (int s = 0; s < streams; s++) server.Submit(s, Stopwatch.GetTimestamp());
        Thread.Sleep(time / 5);
        long from = Interlocked.Read(ref completed), start = Stopwatch.GetTimestamp();
        Thread.Sleep(time);
        double rate = (Interlocked.Read(ref completed) - from) * (double)Stopwatch.Frequency / (Stopwatch.GetTimestamp() - start);
        Volatile.Write(ref running, 0);
        Thread.Sleep(200);   // the last steps drain
        return rate;
    }

    private static LoadLevel RunLevel(StepServer server, double rate, TimeSpan levelTime)
    {
        int streams = server.Streams;
        var busy = new int[streams];
        long total = (long)(rate * levelTime.TotalSeconds * 1.1) + 1024;
        var latencies = new long[total];
        int recorded = 0, outstanding = 0;
        long measureFrom = 0;
        server.Completed = (s, issued) =>
        {
            long now = Stopwatch.GetTimestamp();
            if (issued >= Volatile.Read(ref measureFrom))
            {
                int i = Interlocked.Increment(ref recorded) - 1;
                if (i < latencies.Length) latencies[i] = now - issued;
            }
            Volatile.Write(ref busy[s], 0);
            Interlocked.Decrement(ref outstanding);
        };
        var rng = new Random(17);
        long start = Stopwatch.GetTimestamp();
        long warm = start + (long)(levelTime.TotalSeconds * 0.2 * Stopwatch.Frequency);
        long end = start + (long)(levelTime.TotalSeconds * Stopwatch.Frequency);
        Volatile.Write(ref measureFrom, warm);
        long issuedCount = 0, refused = 0, counted = 0;
        while (true)
        {
            long now = Stopwatch.GetTimestamp();
            if (now >= end) break;
            long due = (long)(rate * (now - start) / Stopwatch.Frequency);
            while (issuedCount < due)
            {
                issuedCount++;
                int s = -1;
                for (int attempt = 0; attempt < 16; attempt++)
                {
                    int candidate = rng.Next(streams);
                    if (Volatile.Read(ref busy[candidate]) == 0) { s = candidate; break; }
                }
                if (now >= warm) counted++;
                if (s < 0) { if (now >= warm) refused++; continue; }
                busy[s] = 1;
                Interlocked.Increment(ref outstanding);
                server.Submit(s, now);
            }
            Thread.Sleep(1);
        }
        // Let the level's last steps finish (a saturated server shows here as a long tail).
        long drainUntil = Stopwatch.GetTimestamp() + 5 * Stopwatch.Frequency;
        while (Volatile.Read(ref outstanding) > 0 && Stopwatch.GetTimestamp() < drainUntil) Thread.Sleep(1);
        int n = Math.Min(Volatile.Read(ref recorded), latencies.Length);
        double measured = (double)(end - warm) / Stopwatch.Frequency;
        if (Volatile.Read(ref outstanding) > 0 || n == 0)
            return new LoadLevel(rate, n / measured, double.PositiveInfinity, double.PositiveInfinity, counted == 0 ? 0 : refused / (double)counted);
        Array.Sort(latencies, 0, n);
        double Ms(double q) => latencies[Math.Min(n - 1, (int)(q * n))] * 1000.0 / Stopwatch.Frequency;
        return new LoadLevel(rate, n / measured, Ms(0.50), Ms(0.99), counted == 0 ? 0 : refused / (double)counted);
    }
}
