using System.Collections.Concurrent;

namespace RnnNative.Bench.Streams;

/// <summary>
/// Serving without cross-stream batching: worker threads take steps from one queue and run each as its own call of
/// batch 1, with the stream's state fed in and read back by hand (how users of a stateless runtime do it today).
/// </summary>
internal abstract class QueuedStepServer : StepServer
{
    private readonly ConcurrentQueue<(int Stream, long Issued)> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Thread[] _workers;
    private readonly CancellationTokenSource _stop = new();
    private readonly int[] _steps;

    protected QueuedStepServer(RnnSpec spec, int streams, float[] inputs, int workers) : base(spec, streams, inputs)
    {
        _steps = new int[streams];
        Workers = workers;
        _workers = new Thread[workers];
        for (int i = 0; i < workers; i++)
        {
            int worker = i;
            _workers[i] = new Thread(() => Work(worker)) { IsBackground = true, Name = $"step worker {i}" };
        }
    }

    public int Workers { get; }

    /// <summary>Starts the workers (after the subclass has made its per-worker buffers).</summary>
    protected void Start()
    {
        foreach (var w in _workers) w.Start();
    }

    public override void Submit(int stream, long issued)
    {
        _queue.Enqueue((stream, issued));
        _signal.Release();
    }

    /// <summary>One step of a stream: read its state, run one call of batch 1, write its state back.</summary>
    protected abstract void Step(int worker, int stream, ReadOnlySpan<float> x, Span<float> y);

    private void Work(int worker)
    {
        var y = new float[Spec.OutputSize];
        try
        {
            while (true)
            {
                _signal.Wait(_stop.Token);
                if (!_queue.TryDequeue(out var item)) continue;
                Step(worker, item.Stream, InputRow(item.Stream, _steps[item.Stream]++).Span, y);
                Completed!(item.Stream, item.Issued);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override void Dispose()
    {
        _stop.Cancel();
        foreach (var w in _workers) w.Join();
        DisposeCore();
    }

    protected abstract void DisposeCore();
}
