using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RnnNative.Extensibility;

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
    /// <summary>The addresses of the output buffers the calls wrote (callers keep theirs pinned-free arrays; the GC does not move them between calls in these short tests).</summary>
    public HashSet<nint> OutputBuffers { get; } = [];

    public RnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null)
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
            OutputBuffers.Add(AddressOf(outputs.Output));
            _inside++;
            MostAtOnce = Math.Max(MostAtOnce, _inside);
            Monitor.PulseAll(_gate);
            var giveUp = DateTime.UtcNow + Patience;
            while (MostAtOnce < expectedCallers && DateTime.UtcNow < giveUp) Monitor.Wait(_gate, TimeSpan.FromMilliseconds(50));
            _inside--;
        }
    }

    private static unsafe nint AddressOf(Span<float> buffer) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(buffer));

    private sealed class Executor(RendezvousBackend backend, RnnSpec spec, RnnExecutorOptions options) : RnnExecutor(backend, spec, options)
    {
        protected override void ForwardCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs) => backend.Call(request, outputs);
        protected override RnnTrainingContext ForwardForTrainingCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs, RnnBatchShape shape) => throw new NotSupportedException();
        protected override RnnGradients BackwardCore(RnnTrainingContext context, RnnOutputGradients gradients) => throw new NotSupportedException();
        protected override void UpdateParametersCore(RnnParameters parameters) => throw new NotSupportedException();
    }
}
