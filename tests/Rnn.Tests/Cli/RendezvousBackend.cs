using System.Runtime.InteropServices;

namespace RnnNative.Tests.Cli;

/// <summary>
/// A test double that proves callers overlap: each caller-memory call waits (up to a timeout) until the expected
/// number of calls have been inside the executor at the same time, and records which threads, thread counts and
/// output buffers the calls used. It computes nothing.
/// </summary>
internal sealed class RendezvousBackend(int expectedCallers) : IRnnBackend
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly object _gate = new();
    private int _inside;

    public string Name => "rendezvous";
    public BackendAvailability Availability => BackendAvailability.Available("test double");
    public IReadOnlyList<KeyValuePair<string, string>> Describe() => [];
    public bool Supports(RnnPrecision precision) => precision == RnnPrecision.F32;

    /// <summary>The most calls that were inside an executor at once.</summary>
    public int MostAtOnce { get; private set; }

    /// <summary>Executors created: the callers must share one.</summary>
    public int ExecutorsCreated { get; private set; }

    public HashSet<int> CallingThreads { get; } = [];
    public HashSet<int> ThreadCountsRequested { get; } = [];
    public HashSet<float[]> OutputBuffers { get; } = new(ReferenceEqualityComparer.Instance);

    public IRnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null)
    {
        ExecutorsCreated++;
        return new Executor(this, parameters.Spec, options ?? RnnExecutorOptions.Default);
    }

    private void Call(in RnnInferenceRequest request, in RnnOutputBuffers outputs)
    {
        lock (_gate)
        {
            CallingThreads.Add(Environment.CurrentManagedThreadId);
            ThreadCountsRequested.Add(request.Threads);
            if (MemoryMarshal.TryGetArray<float>(outputs.Output, out var segment)) OutputBuffers.Add(segment.Array!);
            _inside++;
            MostAtOnce = Math.Max(MostAtOnce, _inside);
            Monitor.PulseAll(_gate);
            var giveUp = DateTime.UtcNow + Patience;
            while (MostAtOnce < expectedCallers && DateTime.UtcNow < giveUp) Monitor.Wait(_gate, TimeSpan.FromMilliseconds(50));
            _inside--;
        }
    }

    private sealed class Executor(RendezvousBackend backend, RnnSpec spec, RnnExecutorOptions options) : IRnnExecutor
    {
        public RnnSpec Spec => spec;
        public IRnnBackend Backend => backend;
        public RnnExecutorOptions Options => options;
        public RnnForwardResult Forward(RnnInput input, RnnMode mode = RnnMode.Inference) => throw new NotSupportedException("the bench uses caller memory");
        public void Forward(in RnnInferenceRequest request, in RnnOutputBuffers outputs) => backend.Call(request, outputs);
        public RnnGradients Backward(RnnTrainingContext context, RnnOutputGradients gradients) => throw new NotSupportedException();
        public void UpdateParameters(RnnParameters parameters) => throw new NotSupportedException();
        public void Dispose() { }
    }
}
