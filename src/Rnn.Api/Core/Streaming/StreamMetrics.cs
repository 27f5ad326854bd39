using System.Diagnostics.Metrics;

namespace RnnNative.Streaming;

/// <summary>
/// The batcher's instruments on the meter "RnnNative.Streaming", for dotnet-counters and OpenTelemetry: steps (a
/// rate gives steps/s), calls, batch size, queue delay, live streams and evictions by reason.
/// </summary>
internal sealed class StreamMetrics : IDisposable
{
    public const string MeterName = "RnnNative.Streaming";
    private readonly Meter _meter;
    private readonly Counter<long> _steps;
    private readonly Counter<long> _calls;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _queueDelay;
    private readonly Counter<long> _evictions;

    public StreamMetrics(IMeterFactory? factory, Func<int> liveStreams)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _steps = _meter.CreateCounter<long>("rnn.stream.steps", "{step}", "Time steps run, over all streams.");
        _calls = _meter.CreateCounter<long>("rnn.stream.calls", "{call}", "Executor calls made.");
        _batchSize = _meter.CreateHistogram<int>("rnn.stream.batch_size", "{stream}", "Streams carried by one executor call.");
        _queueDelay = _meter.CreateHistogram<double>("rnn.stream.queue_delay", "us", "Time from a step's submission to the start of its call.");
        _meter.CreateObservableUpDownCounter("rnn.stream.live", liveStreams, "{stream}", "Live streams.");
        _evictions = _meter.CreateCounter<long>("rnn.stream.evictions", "{stream}", "Streams evicted, by reason (capacity, idle).");
    }

    public void Call(int batch, long steps)
    {
        _calls.Add(1);
        _steps.Add(steps);
        _batchSize.Record(batch);
    }

    public void QueueDelay(double microseconds) => _queueDelay.Record(microseconds);

    public void Eviction(RnnStreamCloseReason reason) =>
        _evictions.Add(1, new KeyValuePair<string, object?>("reason", reason == RnnStreamCloseReason.EvictedIdle ? "idle" : "capacity"));

    public void Dispose() => _meter.Dispose();
}
