namespace RnnNative.Inference;

/// <summary>
/// The one place inference runs the recurrent part of a model: one executor, shared by every worker (inference
/// forwards are safe from several threads at once). Everything above it speaks in padded time-major batches.
/// </summary>
internal sealed class RecurrentNetwork : IDisposable
{
    private readonly IRnnExecutor _executor;

    public RecurrentNetwork(RnnParameters parameters, IRnnBackend backend, RnnExecutorOptions options)
    {
        _executor = backend.CreateExecutor(parameters, options);
        Spec = parameters.Spec;
    }

    public RnnSpec Spec { get; }

    /// <summary>x (T, N, input) time-major; lengths per sequence; optional initial state (L·D, N, H).</summary>
    public RnnForwardResult Run(Tensor input, int[] lengths, Tensor? initialHidden = null, Tensor? initialCell = null) =>
        _executor.Forward(new RnnInput(input, lengths, initialHidden, initialCell));

    public void Dispose() => _executor.Dispose();
}
