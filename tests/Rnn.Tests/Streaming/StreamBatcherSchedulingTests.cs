using System.Diagnostics.Metrics;
using RnnNative.Managed;
using RnnNative.Streaming;

namespace RnnNative.Tests.Streaming;

/// <summary>
/// What the batcher promises about scheduling, made deterministic by an executor that holds calls at a gate: steps
/// of different streams share one call, one stream's steps keep their order, cancellation removes a step that has not
/// started, and the instruments count what ran.
/// </summary>
[TestFixture]
public class StreamBatcherSchedulingTests
{
    private static readonly RnnSpec Spec = new(RnnCellKind.Gru, 4, 6);
    private static readonly RnnParameters Parameters = RnnParameters.InitializeUniform(Spec, seed: 11);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static float[] Steps(int seed, int k) => StreamReference.RandomValues(new Random(seed), k * Spec.InputSize);

    [Test]
    public async Task StepsOfStreamsThatQueueBehindACallShareTheNextCall()
    {
        using var executor = new GatedExecutor(ManagedBackend.Instance.CreateExecutor(Parameters));
        using var batcher = new RnnStreamBatcher(executor, new RnnStreamOptions { MaxBatchSize = 8 });
        var blocker = batcher.StepAsync("blocker", Steps(0, 1));
        executor.WaitForCall();
        // Five streams, with 1..3 steps each (variable lengths in one call), wait while the first call is held.
        var inputs = Enumerable.Range(1, 5).Select(s => Steps(s, 1 + s % 3)).ToArray();
        var steps = inputs.Select((x, s) => batcher.StepAsync($"s{s}", x)).ToArray();
        executor.Release(2);
        await blocker.WaitAsync(Patience);
        var outputs = await Task.WhenAll(steps).WaitAsync(Patience);
        Assert.That(executor.Calls, Is.EqualTo(2), "the five queued streams went into one call");
        for (int s = 0; s < inputs.Length; s++)
            StreamReference.AssertClose(outputs[s], StreamReference.Run(Parameters, inputs[s]).Output, 1e-6, $"stream s{s}");
    }

    [Test]
    public async Task OneStreamsRequestsRunInSubmissionOrderNeverTogether()
    {
        using var executor = ManagedBackend.Instance.CreateExecutor(Parameters);
        using var batcher = new RnnStreamBatcher(executor, new RnnStreamOptions { Concurrency = 2, MaxQueueDelayMicroseconds = 100 });
        var rng = new Random(5);
        var pieces = Enumerable.Range(0, 60).Select(i => Steps(100 + i, rng.Next(1, 4))).ToArray();
        var steps = pieces.Select(x => batcher.StepAsync("only", x)).ToArray();   // not awaited in between
        var outputs = await Task.WhenAll(steps).WaitAsync(Patience);
        var whole = StreamReference.Run(Parameters, pieces.SelectMany(x => x).ToArray());
        StreamReference.AssertClose(outputs.SelectMany(y => y).ToArray(), whole.Output, 1e-5, "one stream's sixty requests");
    }

    [Test]
    public async Task CancellingAStepThatHasNotStartedRemovesIt()
    {
        using var executor = new GatedExecutor(ManagedBackend.Instance.CreateExecutor(Parameters));
        using var batcher = new RnnStreamBatcher(executor, new RnnStreamOptions { MaxBatchSize = 1 });
        var x1 = Steps(1, 2);
        var first = batcher.StepAsync("a", x1);
        executor.WaitForCall();
        using var waitingCancel = new CancellationTokenSource();
        using var readyCancel = new CancellationTokenSource();
        var waiting = batcher.StepAsync("a", Steps(2, 1), waitingCancel.Token);    // behind a's call in flight
        var ready = batcher.StepAsync("b", Steps(3, 1), readyCancel.Token);        // queued for the next call
        waitingCancel.Cancel();
        readyCancel.Cancel();
        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(async () => await ready, Throws.InstanceOf<OperationCanceledException>());
        executor.Release(10);
        var x3 = Steps(4, 1);
        var y1 = await first.WaitAsync(Patience);
        var y3 = await batcher.StepAsync("a", x3).WaitAsync(Patience);
        StreamReference.AssertClose([.. y1, .. y3], StreamReference.Run(Parameters, [.. x1, .. x3]).Output, 1e-6, "a without the cancelled step");
        var xb = Steps(5, 1);
        var yb = await batcher.StepAsync("b", xb).WaitAsync(Patience);
        StreamReference.AssertClose(yb, StreamReference.Run(Parameters, xb).Output, 1e-6, "b without the cancelled step");
        Assert.That(executor.Calls, Is.EqualTo(3), "the cancelled steps never ran");
    }

    [Test]
    public async Task InstrumentsCountStepsCallsAndBatchSizes()
    {
        using var executor = new GatedExecutor(ManagedBackend.Instance.CreateExecutor(Parameters));
        using var batcher = new RnnStreamBatcher(executor, new RnnStreamOptions { MaxBatchSize = 8 });
        long steps = 0, calls = 0;
        var sizes = new List<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "RnnNative.Streaming") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "rnn.stream.steps") Interlocked.Add(ref steps, value);
            if (instrument.Name == "rnn.stream.calls") Interlocked.Add(ref calls, value);
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            if (instrument.Name == "rnn.stream.batch_size") lock (sizes) sizes.Add(value);
        });
        listener.Start();
        var first = batcher.StepAsync("a", Steps(1, 3));
        executor.WaitForCall();
        var rest = Enumerable.Range(0, 4).Select(i => batcher.StepAsync($"b{i}", Steps(i, 2))).ToArray();
        executor.Release(2);
        await first.WaitAsync(Patience);
        await Task.WhenAll(rest).WaitAsync(Patience);
        Assert.That(Interlocked.Read(ref steps), Is.EqualTo(3 + 4 * 2));
        Assert.That(Interlocked.Read(ref calls), Is.EqualTo(2));
        lock (sizes) Assert.That(sizes, Is.EqualTo(new[] { 1, 4 }));
    }
}
