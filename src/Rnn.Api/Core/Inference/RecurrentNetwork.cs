using System.Numerics.Tensors;
namespace RnnNative.Inference;

/// <summary>
/// The one place inference runs the recurrent part of a model: one executor, shared by every worker (inference
/// forwards are safe from several threads at once). Everything above it speaks in padded time-major batches.
/// </summary>
internal sealed class RecurrentNetwork : IDisposable
{
    private readonly RnnExecutor _executor;

    public RecurrentNetwork(RnnParameters parameters, IRnnBackend backend, RnnExecutorOptions options)
    {
        _executor = backend.CreateExecutor(parameters, options);
        Spec = parameters.Spec;
    }

    public RnnSpec Spec { get; }

    /// <summary>The shared executor, for callers that manage their own batches (stream batching).</summary>
    internal RnnExecutor Executor => _executor;

    /// <summary>
    /// x (T, N, input) time-major; lengths per sequence; optional initial state (L·D, N, H). The outputs land in pooled
    /// buffers through the executor's caller-memory entry; dispose the pass to give them back.
    /// </summary>
    public RecurrentNetworkPass Run(Tensor<float> input, int[] lengths, Tensor<float>? initialHidden = null, Tensor<float>? initialCell = null)
    {
        int seqLen = input.Dim(0), batch = input.Dim(1);
        var pass = new RecurrentNetworkPass(Spec, seqLen, batch);
        try
        {
            _executor.Forward(new RnnInferenceRequest(input.Span, seqLen, batch)
            {
                Lengths = lengths,
                InitialHidden = initialHidden is null ? default : initialHidden.Span,
                InitialCell = initialCell is null ? default : initialCell.Span,
            }, pass.Buffers);
            return pass;
        }
        catch
        {
            pass.Dispose();
            throw;
        }
    }

    public void Dispose() => _executor.Dispose();
}
