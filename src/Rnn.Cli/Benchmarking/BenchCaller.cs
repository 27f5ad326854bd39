using System.Diagnostics;

namespace RnnNative.Cli.Benchmarking;

/// <summary>
/// One benchmark caller: a dedicated thread that makes the same call over and over, warm-up first, then the timed
/// phase, recording each timed call's latency. The thread is the same for both phases, so the OpenMP team the backend
/// starts for it during warm-up is the one that is timed.
/// </summary>
internal sealed class BenchCaller
{
    private readonly Action _call;
    private readonly List<long> _latencies = new(capacity: 4096);
    private Exception? _failure;
    private long _finished;

    public BenchCaller(Action call) => _call = call;

    /// <summary>Timed calls' durations in <see cref="Stopwatch"/> ticks.</summary>
    public IReadOnlyList<long> Latencies => _latencies;

    /// <summary>The timestamp at which the caller's last timed call returned.</summary>
    public long Finished => _finished;

    /// <summary>What the caller's call threw, if it did; the caller stops at the first failure.</summary>
    public Exception? Failure => _failure;

    /// <summary>
    /// The caller's thread body: calls until <paramref name="warmUntil"/> (at least once), signals
    /// <paramref name="warmed"/>, waits for <paramref name="go"/>, then calls until <paramref name="timedUntil"/>
    /// returns the deadline.
    /// </summary>
    public void Run(long warmUntil, CountdownEvent warmed, ManualResetEventSlim go, Func<long> timedUntil)
    {
        bool signalled = false;
        try
        {
            do _call();
            while (Stopwatch.GetTimestamp() < warmUntil);
            warmed.Signal();
            signalled = true;
            go.Wait();
            long deadline = timedUntil();
            long now = Stopwatch.GetTimestamp();
            do
            {
                long start = now;
                _call();
                now = Stopwatch.GetTimestamp();
                _latencies.Add(now - start);
            } while (now < deadline);
            _finished = now;
        }
        catch (Exception e)
        {
            _failure = e;
            if (!signalled) warmed.Signal();
        }
    }
}
