using RnnNative.Managed;
using RnnNative.Streaming;

namespace RnnNative.Tests.Streaming;

/// <summary>Opening, ending, eviction, idle timeout, export and import: each checked against the managed reference.</summary>
[TestFixture]
public class StreamBatcherLifecycleTests
{
    private static readonly RnnSpec Spec = new(RnnCellKind.Lstm, 3, 5, numLayers: 2);
    private static readonly RnnParameters Parameters = RnnParameters.InitializeUniform(Spec, seed: 7);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static float[] Steps(int seed, int k) => StreamReference.RandomValues(new Random(seed), k * Spec.InputSize);

    [Test]
    public async Task ExportInTheMiddleAndImportIntoAnotherBatcherContinuesTheStream()
    {
        var first = Steps(1, 4);
        var rest = Steps(2, 3);
        byte[] state;
        float[] before;
        using (var executor = ManagedBackend.Instance.CreateExecutor(Parameters))
        using (var batcher = new RnnStreamBatcher(executor))
        {
            before = await batcher.StepAsync("a", first).WaitAsync(Patience);
            state = batcher.ExportState("a");
        }
        // Another executor and batcher, as another process would have.
        using var executor2 = ManagedBackend.Instance.CreateExecutor(Parameters);
        using var batcher2 = new RnnStreamBatcher(executor2);
        batcher2.ImportState("moved", state);
        var after = await batcher2.StepAsync("moved", rest).WaitAsync(Patience);

        var whole = StreamReference.Run(Parameters, [.. first, .. rest]);
        StreamReference.AssertClose([.. before, .. after], whole.Output, 1e-6, "outputs across export and import");
        var final = StreamStateReader.Read(Spec, batcher2.ExportState("moved"));
        StreamReference.AssertClose(final.Hidden, whole.Hidden, 1e-6, "h_n");
        StreamReference.AssertClose(final.Cell, whole.Cell, 1e-6, "c_n");
    }

    [Test]
    public void ImportRefusesAStateOfAnotherModel()
    {
        var other = new RnnSpec(RnnCellKind.Lstm, 3, 6, numLayers: 2);
        using var otherExecutor = ManagedBackend.Instance.CreateExecutor(RnnParameters.InitializeUniform(other, 1));
        using var otherBatcher = new RnnStreamBatcher(otherExecutor);
        otherBatcher.Open("x");
        var state = otherBatcher.ExportState("x");
        using var executor = ManagedBackend.Instance.CreateExecutor(Parameters);
        using var batcher = new RnnStreamBatcher(executor);
        var e = Assert.Throws<ArgumentException>(() => batcher.ImportState("x", state));
        Assert.That(e!.Message, Does.Contain("h width 6"));
        Assert.Throws<ArgumentException>(() => batcher.ImportState("y", new byte[10]));
        Assert.That(batcher.IsLive("x"), Is.False);
    }

    [Test]
    public async Task EndedStreamRefusesStepsUntilOpenedAgain()
    {
        using var executor = ManagedBackend.Instance.CreateExecutor(Parameters);
        using var batcher = new RnnStreamBatcher(executor);
        await batcher.StepAsync("a", Steps(3, 2)).WaitAsync(Patience);
        Assert.That(batcher.End("a"), Is.True);
        var e = await Assert.ThrowsAsync<RnnStreamClosedException>(() => batcher.StepAsync("a", Steps(4, 1)));
        Assert.That(e!.Reason, Is.EqualTo(RnnStreamCloseReason.Ended));
        Assert.That(e.Message, Does.Contain("'a' has ended"));
        Assert.That(batcher.End("a"), Is.False);

        // Opened again explicitly, it starts from zeros: the same as a fresh whole sequence.
        batcher.Open("a");
        var again = await batcher.StepAsync("a", Steps(4, 1)).WaitAsync(Patience);
        StreamReference.AssertClose(again, StreamReference.Run(Parameters, Steps(4, 1)).Output, 1e-6, "reopened stream");
    }

    [Test]
    public async Task EndAfterSubmittedStepsLetsThemFinish()
    {
        using var executor = new GatedExecutor(ManagedBackend.Instance.CreateExecutor(Parameters));
        using var batcher = new RnnStreamBatcher(executor);
        var x1 = Steps(5, 1);
        var x2 = Steps(6, 2);
        var first = batcher.StepAsync("a", x1);
        executor.WaitForCall();
        var second = batcher.StepAsync("a", x2);
        Assert.That(batcher.End("a"), Is.True);
        await Assert.ThrowsAsync<RnnStreamClosedException>(() => batcher.StepAsync("a", x1));
        executor.Release(2);
        var y = (await first.WaitAsync(Patience)).Concat(await second.WaitAsync(Patience)).ToArray();
        StreamReference.AssertClose(y, StreamReference.Run(Parameters, [.. x1, .. x2]).Output, 1e-6, "steps before the end");
        Assert.That(batcher.IsLive("a"), Is.False);
    }

    [Test]
    public async Task PastTheBoundTheLeastRecentlyUsedStreamIsEvictedAndReported()
    {
        using var executor = ManagedBackend.Instance.CreateExecutor(Parameters);
        using var batcher = new RnnStreamBatcher(executor, new RnnStreamOptions { MaxLiveStreams = 3 });
        var evicted = new List<RnnStreamEvictedEventArgs>();
        batcher.StreamEvicted += (_, e) => { lock (evicted) evicted.Add(e); };
        foreach (var key in new[] { "a", "b", "c" }) await batcher.StepAsync(key, Steps(8, 1)).WaitAsync(Patience);
        await batcher.StepAsync("a", Steps(9, 1)).WaitAsync(Patience);   // b is now the least recently used
        await batcher.StepAsync("d", Steps(10, 1)).WaitAsync(Patience);

        Assert.That(evicted.Select(e => (e.Key, e.Reason)), Is.EqualTo(new[] { ("b", RnnStreamCloseReason.EvictedForCapacity) }));
        Assert.That(batcher.LiveStreams, Is.EqualTo(3));
        var e = await Assert.ThrowsAsync<RnnStreamClosedException>(() => batcher.StepAsync("b", Steps(11, 1)));
        Assert.That(e!.Reason, Is.EqualTo(RnnStreamCloseReason.EvictedForCapacity));
        Assert.That(e.Message, Does.Contain("evicted"));
        Assert.Throws<RnnStreamClosedException>(() => batcher.ExportState("b"));
        // The survivors kept their states.
        var a = StreamStateReader.Read(Spec, batcher.ExportState("a"));
        StreamReference.AssertClose(a.Hidden, StreamReference.Run(Parameters, [.. Steps(8, 1), .. Steps(9, 1)]).Hidden, 1e-6, "a's state");
    }

    [Test]
    public async Task AnIdleStreamIsEvictedAfterItsTimeoutAndReported()
    {
        using var executor = ManagedBackend.Instance.CreateExecutor(Parameters);
        using var batcher = new RnnStreamBatcher(executor, new RnnStreamOptions { IdleTimeout = TimeSpan.FromMilliseconds(50) });
        var reported = new TaskCompletionSource<RnnStreamEvictedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        batcher.StreamEvicted += (_, e) => reported.TrySetResult(e);
        await batcher.StepAsync("quiet", Steps(12, 1)).WaitAsync(Patience);
        var eviction = await reported.Task.WaitAsync(Patience);
        Assert.That((eviction.Key, eviction.Reason), Is.EqualTo(("quiet", RnnStreamCloseReason.EvictedIdle)));
        var e = await Assert.ThrowsAsync<RnnStreamClosedException>(() => batcher.StepAsync("quiet", Steps(13, 1)));
        Assert.That(e!.Reason, Is.EqualTo(RnnStreamCloseReason.EvictedIdle));
    }

    [Test]
    public async Task WithoutImplicitOpeningAnUnknownKeyIsAnError()
    {
        using var executor = ManagedBackend.Instance.CreateExecutor(Parameters);
        using var batcher = new RnnStreamBatcher(executor, new RnnStreamOptions { OpenOnFirstStep = false });
        await Assert.ThrowsAsync<RnnStreamNotFoundException>(() => batcher.StepAsync("new", Steps(1, 1)));
        batcher.Open("new");
        await Assert.DoesNotThrowAsync(() => batcher.StepAsync("new", Steps(1, 1)).WaitAsync(Patience));
        Assert.Throws<InvalidOperationException>(() => batcher.Open("new"));
    }

    [Test]
    public void BadRequestsAreRefusedWithTheReason()
    {
        using var executor = ManagedBackend.Instance.CreateExecutor(Parameters);
        using var batcher = new RnnStreamBatcher(executor, new RnnStreamOptions { MaxStepsPerRequest = 4 });
        var e = Assert.Throws<ArgumentException>(() => batcher.StepAsync("a", new float[4]));
        Assert.That(e!.Message, Does.Contain("input_size 3"));
        Assert.Throws<ArgumentException>(() => batcher.StepAsync("a", ReadOnlyMemory<float>.Empty));
        Assert.Throws<ArgumentException>(() => batcher.StepAsync("a", new float[15]));
        Assert.Throws<ArgumentException>(() => batcher.StepAsync("a", new float[3], new float[2]));
        Assert.Throws<ArgumentException>(() => batcher.Open("b", new float[3]));
        Assert.That(batcher.LiveStreams, Is.EqualTo(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RnnStreamBatcher(executor, new RnnStreamOptions { MaxBatchSize = 0 }));
    }

    [Test]
    public void BidirectionalModelsAreRefused()
    {
        var spec = new RnnSpec(RnnCellKind.Gru, 3, 4, bidirectional: true);
        using var executor = ManagedBackend.Instance.CreateExecutor(RnnParameters.InitializeUniform(spec, 1));
        var e = Assert.Throws<NotSupportedException>(() => new RnnStreamBatcher(executor));
        Assert.That(e!.Message, Does.Contain("bidirectional"));
    }
}
