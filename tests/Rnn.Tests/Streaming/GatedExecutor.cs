using RnnNative.Extensibility;

namespace RnnNative.Tests.Streaming;

/// <summary>
/// An executor that holds each inference call until the test lets it go, so a test can line steps up behind a call in
/// flight and know exactly which steps share the next call; the arithmetic is the wrapped executor's.
/// </summary>
internal sealed class GatedExecutor(RnnExecutor inner) : RnnExecutor(inner.Backend, inner.Spec, inner.Options)
{
    private readonly SemaphoreSlim _permits = new(0);
    private readonly SemaphoreSlim _entered = new(0);
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Lets <paramref name="calls"/> more calls through.</summary>
    public void Release(int calls = 1) => _permits.Release(calls);

    /// <summary>Waits until a call has reached the gate (bounded, so a broken batcher fails the test instead of hanging it).</summary>
    public void WaitForCall()
    {
        if (!_entered.Wait(TimeSpan.FromSeconds(30))) Assert.Fail("no executor call reached the gate within 30 s.");
    }

    protected override void ForwardCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs)
    {
        Interlocked.Increment(ref _calls);
        _entered.Release();
        if (!_permits.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("the test never released this call.");
        inner.Forward(request, outputs);
    }

    protected override RnnTrainingContext ForwardForTrainingCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs, RnnBatchShape shape) =>
        throw new NotSupportedException();

    protected override RnnGradients BackwardCore(RnnTrainingContext context, RnnOutputGradients gradients) => throw new NotSupportedException();

    protected override void UpdateParametersCore(RnnParameters parameters) => throw new NotSupportedException();

    protected override void Dispose(bool disposing) => inner.Dispose();
}
