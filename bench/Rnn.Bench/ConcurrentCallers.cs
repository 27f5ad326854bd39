namespace RnnNative.Bench;

/// <summary>
/// K long-lived caller threads that each run their part of one round when <see cref="Run"/> is called, and
/// <see cref="Run"/> returns when all K are done: timing a round measures the calls, not thread start-up.
/// One caller runs on the calling thread itself.
/// </summary>
public sealed class ConcurrentCallers : IDisposable
{
    private readonly Action<int> _body;
    private readonly Thread[] _threads;
    private readonly Barrier _start;
    private readonly Barrier _end;
    private readonly Exception?[] _failures;
    private volatile bool _stopping;

    public ConcurrentCallers(int callers, Action<int> body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(callers, 1);
        _body = body ?? throw new ArgumentNullException(nameof(body));
        Callers = callers;
        _failures = new Exception?[callers];
        _start = new Barrier(callers);
        _end = new Barrier(callers);
        _threads = Enumerable.Range(1, callers - 1).Select(i => new Thread(() => Loop(i)) { IsBackground = true, Name = $"bench caller {i}" }).ToArray();
        foreach (var t in _threads) t.Start();
    }

    public int Callers { get; }

    /// <summary>One round: every caller runs its body once; the first failure is rethrown here.</summary>
    public void Run()
    {
        if (Callers == 1)
        {
            _body(0);
            return;
        }
        _start.SignalAndWait();
        try
        {
            _body(0);
        }
        catch (Exception e)
        {
            _failures[0] = e;
        }
        _end.SignalAndWait();
        if (_failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            Array.Clear(_failures);
            throw new AggregateException("A benchmark caller failed.", failure);
        }
    }

    private void Loop(int caller)
    {
        while (true)
        {
            _start.SignalAndWait();
            if (_stopping) return;
            try
            {
                _body(caller);
            }
            catch (Exception e)
            {
                _failures[caller] = e;
            }
            _end.SignalAndWait();
        }
    }

    public void Dispose()
    {
        if (Callers > 1 && !_stopping)
        {
            _stopping = true;
            _start.SignalAndWait();
            foreach (var t in _threads) t.Join();
        }
        _start.Dispose();
        _end.Dispose();
    }
}
