namespace RnnNative.Managed;

/// <summary>Runs <see cref="ReferenceRnn"/> behind the executor contract: converts float tensors to double and back.</summary>
internal sealed class ManagedRnnExecutor : IRnnExecutor
{
    private readonly WorkspacePool<ReferenceWorkspace> _workspaces = new(() => new ReferenceWorkspace());
    private volatile ReferenceWeights _weights;
    private bool _disposed;

    public ManagedRnnExecutor(ManagedBackend backend, RnnParameters parameters, RnnExecutorOptions options)
    {
        Backend = backend;
        Options = options;
        Spec = parameters.Spec;
        _weights = ReferenceWeights.From(parameters);
    }

    public RnnSpec Spec { get; }
    public IRnnBackend Backend { get; }
    public RnnExecutorOptions Options { get; }

    public RnnForwardResult Forward(RnnInput input, RnnMode mode = RnnMode.Inference)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var shape = RnnBatchValidator.Validate(Spec, input);
        var weights = _weights;
        var x = ToDouble(SequenceLayout.ToTimeMajor(input.Input, input.BatchFirst))!;
        var forward = ReferenceRnn.Forward(weights, x, shape.SeqLen, shape.Batch, shape.Lengths,
            ToDouble(input.InitialHidden), ToDouble(input.InitialCell), keepCache: mode == RnnMode.Training);

        var y = SequenceLayout.FromTimeMajor(ToTensor(forward.Output, shape.SeqLen, shape.Batch, Spec.OutputSize), shape.BatchFirst);
        int rows = Spec.NumLayers * Spec.Directions;
        var hn = ToTensor(forward.Hidden, rows, shape.Batch, Spec.HiddenStateSize);
        var cn = forward.Cell is null ? null : ToTensor(forward.Cell, rows, shape.Batch, Spec.CellStateSize);
        var context = mode == RnnMode.Training ? new ManagedTrainingContext(this, shape, weights, forward) : null;
        return new RnnForwardResult(y, hn, cn, context);
    }

    public void Forward(in RnnInferenceRequest request, in RnnOutputBuffers outputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RnnBatchValidator.Validate(Spec, request, outputs);
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

    public RnnGradients Backward(RnnTrainingContext context, RnnOutputGradients gradients)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(context);
        context.EnsureUsableBy(this);
        var ctx = (ManagedTrainingContext)context;
        var shape = ctx.Shape;
        RnnBatchValidator.ValidateGradients(Spec, shape, gradients);

        double[]? dy = gradients.Output is null ? null : ToDouble(SequenceLayout.ToTimeMajor(gradients.Output, shape.BatchFirst));
        var backward = ReferenceRnn.Backward(ctx.Weights, ctx.Forward, dy, ToDouble(gradients.Hidden), ToDouble(gradients.Cell));
        context.Dispose();

        var dx = SequenceLayout.FromTimeMajor(ToTensor(backward.Input, shape.SeqLen, shape.Batch, Spec.InputSize), shape.BatchFirst);
        int rows = Spec.NumLayers * Spec.Directions;
        var dh0 = ToTensor(backward.InitialHidden, rows, shape.Batch, Spec.HiddenStateSize);
        var dc0 = backward.InitialCell is null ? null : ToTensor(backward.InitialCell, rows, shape.Batch, Spec.CellStateSize);
        return new RnnGradients(dx, dh0, dc0, backward.Parameters.ToParameters());
    }

    public void UpdateParameters(RnnParameters parameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RnnBatchValidator.ValidateParameters(Spec, parameters);
        _weights = ReferenceWeights.From(parameters);
    }

    public void Dispose() => _disposed = true;

    private static double[]? ToDouble(Tensor? t)
    {
        if (t is null) return null;
        var d = new double[t.Length];
        var src = t.Data;
        for (int i = 0; i < d.Length; i++) d[i] = src[i];
        return d;
    }

    private static Tensor ToTensor(double[] data, params int[] shape)
    {
        var f = new float[data.Length];
        for (int i = 0; i < f.Length; i++) f[i] = (float)data[i];
        return new Tensor(f, shape);
    }

    private sealed class ManagedTrainingContext(ManagedRnnExecutor owner, RnnBatchShape shape, ReferenceWeights weights, ReferenceForward forward)
        : RnnTrainingContext(owner, shape)
    {
        // The weights the forward pass used, so an UpdateParameters between forward and backward cannot skew the gradients.
        public ReferenceWeights Weights { get; } = weights;
        public ReferenceForward Forward { get; } = forward;
    }
}
