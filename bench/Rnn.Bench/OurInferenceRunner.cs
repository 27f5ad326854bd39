namespace RnnNative.Bench;

/// <summary>
/// Our side of an inference row: one executor, shared by <see cref="BackendTarget.Callers"/> callers, each running the
/// case's batch from caller memory into its own preallocated output (so a timed round allocates nothing), with the
/// target's threads per call.
/// </summary>
public sealed class OurInferenceRunner : IDisposable
{
    private readonly IRnnExecutor _executor;
    private readonly ConcurrentCallers _callers;
    private readonly RnnInferenceRequest _request;
    private readonly RnnOutputBuffers[] _outputs;

    public OurInferenceRunner(InferenceCase inferenceCase, RnnParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(inferenceCase);
        var (configuration, target) = (inferenceCase.Configuration, inferenceCase.Target);
        var x = BenchWorkload.Input(configuration, inferenceCase.Steps);
        _executor = BenchWorkload.CreateExecutor(target, configuration, parameters);
        _request = new RnnInferenceRequest(x.Data, inferenceCase.Steps, configuration.Batch) { Threads = target.ThreadsPerCall };
        _outputs = Enumerable.Range(0, target.Callers).Select(_ => RnnOutputBuffers.Allocate(configuration.Spec, inferenceCase.Steps, configuration.Batch)).ToArray();
        _callers = new ConcurrentCallers(target.Callers, Forward);
    }

    /// <summary>Each caller's y (T, N, D·H) of the last round.</summary>
    public IReadOnlyList<float[]> Outputs => _outputs.Select(o => o.Output.ToArray()).ToList();

    /// <summary>The first output value of caller 0 (what a benchmark returns, so the work cannot be dropped).</summary>
    public float First => _outputs[0].Output.Span[0];

    /// <summary>One round: every caller runs the batch once, at the same time.</summary>
    public void Run() => _callers.Run();

    private void Forward(int caller) => _executor.Forward(_request, _outputs[caller]);

    public void Dispose()
    {
        _callers.Dispose();
        _executor.Dispose();
    }
}
