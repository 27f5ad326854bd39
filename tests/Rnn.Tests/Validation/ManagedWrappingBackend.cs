using RnnNative.Managed;

namespace RnnNative.Tests.Validation;

/// <summary>
/// A deliberately broken backend for proving that the validation suite can fail: it runs the managed reference, but
/// first passes the weights and each batch through a defect that a real backend could have.
/// </summary>
internal abstract class ManagedWrappingBackend : IRnnBackend
{
    public abstract string Name { get; }

    public BackendAvailability Availability => BackendAvailability.Available("test double over the managed reference");

    public IReadOnlyList<KeyValuePair<string, string>> Describe() => [];

    public bool Supports(RnnPrecision precision) => precision == RnnPrecision.F32;

    public virtual IRnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null) =>
        new WrappingExecutor(this, ManagedBackend.Instance.CreateExecutor(Corrupt(parameters.Clone()), options));

    /// <summary>The defect applied to the weights (a copy) before they reach the reference.</summary>
    protected virtual RnnParameters Corrupt(RnnParameters parameters) => parameters;

    /// <summary>The defect applied to each batch before it reaches the reference.</summary>
    protected virtual RnnInput Corrupt(RnnInput input) => input;

    private sealed class WrappingExecutor(ManagedWrappingBackend backend, IRnnExecutor inner) : IRnnExecutor
    {
        public RnnSpec Spec => inner.Spec;
        public IRnnBackend Backend => backend;
        public RnnExecutorOptions Options => inner.Options;

        public RnnForwardResult Forward(RnnInput input, RnnMode mode = RnnMode.Inference) => inner.Forward(backend.Corrupt(input), mode);

        public void Forward(in RnnInferenceRequest request, in RnnOutputBuffers outputs)
        {
            var input = new RnnInput(new Tensor(request.Input.ToArray(), request.BatchFirst
                    ? [request.Batch, request.SeqLen, inner.Spec.InputSize] : [request.SeqLen, request.Batch, inner.Spec.InputSize]),
                request.Lengths.IsEmpty ? null : request.Lengths.ToArray(),
                request.InitialHidden.IsEmpty ? null : new Tensor(request.InitialHidden.ToArray(), inner.Spec.NumLayers * inner.Spec.Directions, request.Batch, inner.Spec.HiddenStateSize),
                request.InitialCell.IsEmpty ? null : new Tensor(request.InitialCell.ToArray(), inner.Spec.NumLayers * inner.Spec.Directions, request.Batch, inner.Spec.CellStateSize),
                request.BatchFirst);
            using var result = Forward(input);
            result.Output.Data.CopyTo(outputs.Output);
            result.Hidden.Data.CopyTo(outputs.Hidden);
            if (!outputs.Cell.IsEmpty) result.Cell!.Data.CopyTo(outputs.Cell);
        }

        public RnnGradients Backward(RnnTrainingContext context, RnnOutputGradients gradients) => inner.Backward(context, gradients);

        public void UpdateParameters(RnnParameters parameters) => inner.UpdateParameters(backend.Corrupt(parameters.Clone()));

        public void Dispose() => inner.Dispose();
    }
}
