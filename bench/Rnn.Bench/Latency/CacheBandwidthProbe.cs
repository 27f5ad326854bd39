using System.Diagnostics;
using System.Numerics;

namespace RnnNative.Bench.Latency;

/// <summary>
/// How fast this machine streams a given number of bytes that were read moments before (what a recurrent step does with
/// its weights): each of <c>threads</c> threads sums its own contiguous share, over and over, on a thread of its own;
/// the best of a few rounds, in bytes per second over all threads.
/// </summary>
public static class CacheBandwidthProbe
{
    public static double BytesPerSecond(long bytes, int threads, double secondsPerRound = 0.05, int rounds = 5)
    {
        int perThread = (int)Math.Max(Vector<float>.Count, bytes / sizeof(float) / threads / Vector<float>.Count * Vector<float>.Count);
        var shares = Enumerable.Range(0, threads).Select(_ => Enumerable.Repeat(1e-3f, perThread).ToArray()).ToArray();
        double best = 0;
        for (int round = 0; round < rounds; round++)
        {
            var passes = new long[threads];
            using var start = new Barrier(threads + 1);
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                var sw = Stopwatch.StartNew();
                float sink = 0;
                while (sw.Elapsed.TotalSeconds < secondsPerRound)
                {
                    sink += Sum(shares[t]);
                    passes[t]++;
                }
                if (sink == float.MaxValue) Console.Write(""); // keeps the sums live
            })).ToArray();
            foreach (var w in workers) w.Start();
            var clock = Stopwatch.StartNew();
            start.SignalAndWait();
            foreach (var w in workers) w.Join();
            double seconds = clock.Elapsed.TotalSeconds;
            best = Math.Max(best, passes.Sum() * (double)perThread * sizeof(float) / seconds);
        }
        return best;
    }

    private static float Sum(float[] data)
    {
        var acc0 = Vector<float>.Zero;
        var acc1 = Vector<float>.Zero;
        int n = Vector<float>.Count, i = 0;
        for (; i + 2 * n <= data.Length; i += 2 * n)
        {
            acc0 += new Vector<float>(data, i);
            acc1 += new Vector<float>(data, i + n);
        }
        for (; i + n <= data.Length; i += n) acc0 += new Vector<float>(data, i);
        return Vector.Sum(acc0 + acc1);
    }
}
