using System.Numerics.Tensors;
using RnnNative.Extensibility;

namespace RnnNative.Managed;

/// <summary>Runs <see cref="ReferenceRnn"/> behind the executor contract: converts float data to double and back.</summary>
internal sealed class ManagedRnnExecutor : RnnExecutor
{
    private readonly WorkspacePool<ReferenceWorkspace> _workspaces = new(() => new ReferenceWorkspace());
    private volatile ReferenceWeights _weights;

    public ManagedRnnExecutor(ManagedBackend backend, RnnParameters parameters, RnnExecutorOptions options)
        : base(backend, parameters.Spec, options)
    {
        _weights = ReferenceWeights.From(parameters);
    }

    // The reference computes on its caller's thread.
    protected override bool RunsCallsOnSeveralThreads => false;

    protected override void ForwardCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs)
    {
        var work = _workspaces.Take();
        try
        {
            ReferenceRnn.Infer(_weights, request, outputs, work);
        }
        finally
        {
            _workspaces.Return(work);
        }
    }

    internal int WorkspacesCreated => _workspaces.Created;

    protected override RnnTrainingContext ForwardForTrainingCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs, RnnBatchShape shape)
    {
        var weights = _weights;
        var x = ToTimeMajorDouble(request.Input, shape, Spec.InputSize);
        var forward = ReferenceRnn.Forward(weights, x, shape.SeqLen, shape.Batch, shape.Lengths,
            ToDouble(request.InitialHidden), ToDouble(request.InitialCell), keepCache: true);
        FromTimeMajor(forward.Output, shape, Spec.OutputSize, outputs.Output);
        Narrow(forward.Hidden, outputs.Hidden);
        if (forward.Cell is not null && !outputs.Cell.IsEmpty) Narrow(forward.Cell, outputs.Cell);
        return new ManagedTrainingContext(this, shape, weights, forward);
    }

    protected override RnnGradients BackwardCore(RnnTrainingContext context, RnnOutputGradients gradients)
    {
        var ctx = (ManagedTrainingContext)context;
        var shape = ctx.Shape;
        double[]? dy = gradients.Output is null ? null : ToTimeMajorDouble(gradients.Output.Span, shape, Spec.OutputSize);
        var backward = ReferenceRnn.Backward(ctx.Weights, ctx.Forward, dy,
            gradients.Hidden is null ? null : ToDouble(gradients.Hidden.Span), gradients.Cell is null ? null : ToDouble(gradients.Cell.Span));

        int rows = Spec.NumLayers * Spec.Directions;
        var dx = shape.NewSequence(Spec.InputSize);
        FromTimeMajor(backward.Input, shape, Spec.InputSize, dx.Span);
        var dh0 = RnnTensors.Zeros(rows, shape.Batch, Spec.HiddenStateSize);
        Narrow(backward.InitialHidden, dh0.Span);
        Tensor<float>? dc0 = null;
        if (backward.InitialCell is not null)
        {
            dc0 = RnnTensors.Zeros(rows, shape.Batch, Spec.CellStateSize);
            Narrow(backward.InitialCell, dc0.Span);
        }
        return new RnnGradients(dx, dh0, dc0, backward.Parameters.ToParameters());
    }

    protected override void UpdateParametersCore(RnnParameters parameters) => _weights = ReferenceWeights.From(parameters);

    private static double[]? ToDouble(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty) return null;
        var d = new double[values.Length];
        for (int i = 0; i < d.Length; i++) d[i] = values[i];
        return d;
    }

    /// <summary>(T, N, C) or (N, T, C) floats → time-major doubles.</summary>
    private static double[] ToTimeMajorDouble(ReadOnlySpan<float> source, RnnBatchShape shape, int width)
    {
        var d = new double[source.Length];
        for (int t = 0; t < shape.SeqLen; t++)
        for (int n = 0; n < shape.Batch; n++)
        {
            int from = (shape.BatchFirst ? n * shape.SeqLen + t : t * shape.Batch + n) * width, to = (t * shape.Batch + n) * width;
            for (int c = 0; c < width; c++) d[to + c] = source[from + c];
        }
        return d;
    }

    /// <summary>Time-major doubles → floats in the caller's layout.</summary>
    private static void FromTimeMajor(double[] source, RnnBatchShape shape, int width, Span<float> destination)
    {
        for (int t = 0; t < shape.SeqLen; t++)
        for (int n = 0; n < shape.Batch; n++)
        {
            int from = (t * shape.Batch + n) * width, to = (shape.BatchFirst ? n * shape.SeqLen + t : t * shape.Batch + n) * width;
            for (int c = 0; c < width; c++) destination[to + c] = (float)source[from + c];
        }
    }

    private static void Narrow(double[] source, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = (float)source[i];
    }

    private sealed class ManagedTrainingContext(ManagedRnnExecutor owner, RnnBatchShape shape, ReferenceWeights weights, ReferenceForward forward)
        : RnnTrainingContext(owner, shape)
    {
        // The weights the forward pass used, so an UpdateParameters between forward and backward cannot skew the gradients.
        public ReferenceWeights Weights { get; } = weights;
        public ReferenceForward Forward { get; } = forward;
    }
}
