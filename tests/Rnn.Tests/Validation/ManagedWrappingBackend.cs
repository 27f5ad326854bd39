using RnnNative.Managed;
using RnnNative.Extensibility;

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

    public virtual RnnExecutor CreateExecutor(RnnParameters parameters, RnnExecutorOptions? options = null) =>
        new WrappingExecutor(this, ManagedBackend.Instance.CreateExecutor(Corrupt(parameters.Clone()), options));

    /// <summary>The defect applied to the weights (a copy) before they reach the reference.</summary>
    protected virtual RnnParameters Corrupt(RnnParameters parameters) => parameters;

    /// <summary>The defect applied to each batch before it reaches the reference.</summary>
    protected virtual RnnInput Corrupt(RnnInput input) => input;

    private sealed class WrappingExecutor(ManagedWrappingBackend backend, RnnExecutor inner) : RnnExecutor(backend, inner.Spec, inner.Options)
    {
        protected override void ForwardCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs)
        {
            using var result = inner.Forward(backend.Corrupt(ToInput(request)));
            CopyResult(result, outputs);
        }

        protected override RnnTrainingContext ForwardForTrainingCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs, RnnBatchShape shape)
        {
            var result = inner.ForwardForTraining(backend.Corrupt(ToInput(request)));
            CopyResult(result, outputs);
            return new WrappedContext(this, shape, result.Context!);
        }

        protected override RnnGradients BackwardCore(RnnTrainingContext context, RnnOutputGradients gradients) =>
            inner.Backward(((WrappedContext)context).Inner, gradients);

        protected override void UpdateParametersCore(RnnParameters parameters) => inner.UpdateParameters(backend.Corrupt(parameters.Clone()));

        protected override void Dispose(bool disposing) => inner.Dispose();

        private RnnInput ToInput(in RnnInferenceRequest request)
        {
            int rows = Spec.NumLayers * Spec.Directions;
            return new RnnInput(RnnTensors.Create(request.Input.ToArray(), request.BatchFirst
                    ? [request.Batch, request.SeqLen, Spec.InputSize] : [request.SeqLen, request.Batch, Spec.InputSize]),
                request.Lengths.IsEmpty ? null : request.Lengths.ToArray(),
                request.InitialHidden.IsEmpty ? null : RnnTensors.Create(request.InitialHidden.ToArray(), rows, request.Batch, Spec.HiddenStateSize),
                request.InitialCell.IsEmpty ? null : RnnTensors.Create(request.InitialCell.ToArray(), rows, request.Batch, Spec.CellStateSize),
                request.BatchFirst);
        }

        private static void CopyResult(RnnForwardResult result, in RnnOutputBuffers outputs)
        {
            result.Output.Span.CopyTo(outputs.Output);
            result.Hidden.Span.CopyTo(outputs.Hidden);
            if (!outputs.Cell.IsEmpty) result.Cell!.Span.CopyTo(outputs.Cell);
        }

        private sealed class WrappedContext(WrappingExecutor owner, RnnBatchShape shape, RnnTrainingContext inner) : RnnTrainingContext(owner, shape)
        {
            public RnnTrainingContext Inner { get; } = inner;

            protected override void Release() => Inner.Dispose();
        }
    }
}
