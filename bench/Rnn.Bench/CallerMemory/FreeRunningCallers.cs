using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace RnnNative.Bench.CallerMemory;

/// <summary>
/// Times K callers the way <c>rnn bench --callers K</c> does, so the two children's sequences/s mean the same: each
/// caller is its own thread that calls until a tenth of the budget has passed (warm-up, at least one call), then,
/// once all are warm, calls until the budget is spent; the rate is every timed call over the span from the common
/// start to the last call's end.
/// </summary>
public static class FreeRunningCallers
{
    /// <summary>Timed calls of all callers together and the seconds they took.</summary>
    public static (int Calls, double Seconds) Measure(int callers, Action<int> call, double seconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(callers, 1);
        ArgumentNullException.ThrowIfNull(call);
        long warmUntil = Stopwatch.GetTimestamp() + (long)(seconds * 0.1 * Stopwatch.Frequency);
        long deadline = 0;
        var calls = new int[callers];
        var finished = new long[callers];
        var failures = new Exception?[callers];
        using var warmed = new CountdownEvent(callers);
        using var go = new ManualResetEventSlim(false);
        var threads = new Thread[callers];
        for (int c = 0; c < callers; c++)
        {
            int caller = c;
            threads[c] = new Thread(() =>
            {
                bool signalled = false;
                try
                {
                    do call(caller);
                    while (Stopwatch.GetTimestamp() < warmUntil);
                    warmed.Signal();
                    signalled = true;
                    go.Wait();
                    long until = Volatile.Read(ref deadline);
                    do
                    {
                        call(caller);
                        calls[caller]++;
                    } while (Stopwatch.GetTimestamp() < until);
                    finished[caller] = Stopwatch.GetTimestamp();
                }
                catch (Exception e)
                {
                    failures[caller] = e;
                    if (!signalled) warmed.Signal();
                }
            }) { IsBackground = true, Name = $"caller-memory caller {c}" };
            threads[c].Start();
        }
        warmed.Wait();
        long start = Stopwatch.GetTimestamp();
        Volatile.Write(ref deadline, start + (long)(seconds * Stopwatch.Frequency));
        go.Set();
        foreach (var thread in threads) thread.Join();
        if (failures.FirstOrDefault(f => f is not null) is { } failure) ExceptionDispatchInfo.Throw(failure);
        return (calls.Sum(), (double)(finished.Max() - start) / Stopwatch.Frequency);
    }
}
