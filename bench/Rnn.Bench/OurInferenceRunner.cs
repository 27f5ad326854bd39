using System.Numerics.Tensors;
namespace RnnNative.Bench;

/// <summary>
/// Our side of an inference row: one executor, shared by <see cref="BackendTarget.Callers"/> callers, each running the
/// case's batch from caller memory into its own preallocated output (so a timed round allocates nothing), with the
/// target's threads per call.
/// </summary>
public sealed class OurInferenceRunner : IDisposable
{
    private readonly RnnExecutor _executor;
    private readonly ConcurrentCallers _callers;
    private readonly Tensor<float> _input;
    private readonly int _steps, _batch, _threads;
    private readonly (float[] Output, float[] Hidden, float[] Cell)[] _outputs;

    public OurInferenceRunner(InferenceCase inferenceCase, RnnParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(inferenceCase);
        var (configuration, target) = (inferenceCase.Configuration, inferenceCase.Target);
        var x = BenchWorkload.Input(configuration, inferenceCase.Steps);
        _executor = BenchWorkload.CreateExecutor(target, configuration, parameters);
        (_input, _steps, _batch, _threads) = (x, inferenceCase.Steps, configuration.Batch, target.ThreadsPerCall);
        var (y, hidden, cell) = RnnOutputBuffers.Sizes(configuration.Spec, _steps, _batch);
        _outputs = Enumerable.Range(0, target.Callers).Select(_ => (new float[y], new float[hidden], new float[cell])).ToArray();
        _callers = new ConcurrentCallers(target.Callers, Forward);
    }

    /// <summary>Each caller's y (T, N, D·H) of the last round.</summary>
    public IReadOnlyList<float[]> Outputs => _outputs.Select(o => (float[])o.Output.Clone()).ToList();

    /// <summary>The first output value of caller 0 (what a benchmark returns, so the work cannot be dropped).</summary>
    public float First => _outputs[0].Output[0];

    /// <summary>One round: every caller runs the batch once, at the same time.</summary>
    public void Run() => _callers.Run();

    private void Forward(int caller)
    {
        var (output, hidden, cell) = _outputs[caller];
        _executor.Forward(new RnnInferenceRequest(_input.Span, _steps, _batch) { Threads = _threads }, new RnnOutputBuffers(output, hidden, cell));
    }

    public void Dispose()
    {
        _callers.Dispose();
        _executor.Dispose();
    }
}
