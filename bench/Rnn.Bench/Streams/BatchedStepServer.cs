using RnnNative.Streaming;

namespace RnnNative.Bench.Streams;

/// <summary>(a) Ours with cross-stream batching: every step goes to the stream batcher, which carries the states.</summary>
internal sealed class BatchedStepServer : StepServer
{
    private readonly RnnStreamBatcher _batcher;
    private readonly string[] _keys;
    private readonly float[][] _outputs;
    private readonly int[] _steps;

    public BatchedStepServer(RnnExecutor executor, RnnStreamOptions options, int streams, float[] inputs)
        : base(executor.Spec, streams, inputs)
    {
        _batcher = new RnnStreamBatcher(executor, options with { MaxLiveStreams = Math.Max(streams, 1) + 16, IdleTimeout = Timeout.InfiniteTimeSpan });
        _keys = Enumerable.Range(0, streams).Select(s => $"s{s}").ToArray();
        _outputs = Enumerable.Range(0, streams).Select(_ => new float[executor.Spec.OutputSize]).ToArray();
        _steps = new int[streams];
        Options = options;
    }

    public RnnStreamOptions Options { get; }

    public override string Name => $"ours, batched (batch ≤ {Options.MaxBatchSize}, delay {Options.MaxQueueDelayMicroseconds} µs, {Options.Concurrency} calls × {Math.Max(1, Options.ThreadsPerCall)} thread)";

    public override void Submit(int stream, long issued)
    {
        var step = _batcher.StepAsync(_keys[stream], InputRow(stream, _steps[stream]++), _outputs[stream]);
        step.ContinueWith(static (t, state) =>
        {
            var (server, s, at) = ((BatchedStepServer, int, long))state!;
            t.GetAwaiter().GetResult();
            server.Completed!(s, at);
        }, (this, stream, issued), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public override float[] StepNow(int stream, float[] x) => _batcher.StepAsync($"check{stream}", x).GetAwaiter().GetResult();

    public override void Dispose() => _batcher.Dispose();
}
