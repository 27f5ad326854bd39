namespace RnnNative.Interop.OneDnn;

/// <summary>
/// A model prepared in the shim: weights reordered once into oneDNN's preferred layouts, primitives cached per shape.
/// Any number of threads may call it at once: the shim lends each call its own workspace and runs it on the call's
/// OpenMP thread count, so K callers × 1 thread run side by side on K cores.
/// </summary>
internal sealed unsafe class OneDnnRnnExecutor : IRnnExecutor
{
    private readonly OneDnnExecutorHandle _handle;
    private readonly long _parameterCount;

    public OneDnnRnnExecutor(OneDnnBackend backend, RnnParameters parameters, RnnExecutorOptions options)
    {
        Backend = backend;
        Options = options;
        Spec = parameters.Spec;
        var desc = NativeModelDesc.From(Spec, options);
        var flat = FlatParameterLayout.Flatten(parameters);
        _parameterCount = flat.Length;
        fixed (float* p = flat)
        {
            OneDnnStatusCheck.Ensure(OneDnnNative.ExecutorCreate(&desc, p, flat.Length, out var handle));
            _handle = handle;
        }
    }

    public RnnSpec Spec { get; }
    public IRnnBackend Backend { get; }
    public RnnExecutorOptions Options { get; }

    public void Forward(in RnnInferenceRequest request, in RnnOutputBuffers outputs)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        RnnBatchValidator.Validate(Spec, request, outputs);
        // The caller's memory is pinned for the call and handed to the shim as is: for f32 over a sorted batch the
        // shim reads the input and writes y in place.
        fixed (int* lengths = request.Lengths.Span)
        fixed (float* x = request.Input.Span, h0 = request.InitialHidden.Span, c0 = request.InitialCell.Span)
        fixed (float* py = outputs.Output.Span, phn = outputs.Hidden.Span, pcn = outputs.Cell.Span)
        {
            var args = new NativeForwardArgs
            {
                SeqLen = request.SeqLen,
                Batch = request.Batch,
                BatchFirst = request.BatchFirst ? 1 : 0,
                Threads = request.Threads,
                Lengths = request.Lengths.IsEmpty ? null : lengths,
                Input = x, InputCount = request.Input.Length,
                H0 = request.InitialHidden.IsEmpty ? null : h0, H0Count = request.InitialHidden.Length,
                C0 = request.InitialCell.IsEmpty ? null : c0, C0Count = request.InitialCell.Length,
                Output = py, OutputCount = outputs.Output.Length,
                Hn = phn, HnCount = outputs.Hidden.Length,
                Cn = outputs.Cell.IsEmpty ? null : pcn, CnCount = outputs.Cell.Length,
            };
            OneDnnStatusCheck.Ensure(OneDnnNative.ExecutorInfer(_handle, &args, 0, null));
        }
    }

    public RnnForwardResult Forward(RnnInput input, RnnMode mode = RnnMode.Inference)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var shape = RnnBatchValidator.Validate(Spec, input);
        int rows = Spec.NumLayers * Spec.Directions;
        var y = shape.BatchFirst
            ? Tensor.Zeros(shape.Batch, shape.SeqLen, Spec.OutputSize)
            : Tensor.Zeros(shape.SeqLen, shape.Batch, Spec.OutputSize);
        var hn = Tensor.Zeros(rows, shape.Batch, Spec.HiddenStateSize);
        var cn = Spec.Cell.HasCellState() ? Tensor.Zeros(rows, shape.Batch, Spec.CellStateSize) : null;
        bool training = mode == RnnMode.Training;

        OneDnnContextHandle contextHandle;
        fixed (int* lengths = input.Lengths)
        fixed (float* x = input.Input.Data, h0 = input.InitialHidden?.Data, c0 = input.InitialCell?.Data)
        fixed (float* py = y.Data, phn = hn.Data, pcn = cn?.Data)
        {
            var args = new NativeForwardArgs
            {
                SeqLen = shape.SeqLen,
                Batch = shape.Batch,
                BatchFirst = shape.BatchFirst ? 1 : 0,
                Lengths = lengths,
                Input = x, InputCount = input.Input.Length,
                H0 = h0, H0Count = input.InitialHidden?.Length ?? 0,
                C0 = c0, C0Count = input.InitialCell?.Length ?? 0,
                Output = py, OutputCount = y.Length,
                Hn = phn, HnCount = hn.Length,
                Cn = pcn, CnCount = cn?.Length ?? 0,
            };
            OneDnnStatusCheck.Ensure(OneDnnNative.ExecutorForward(_handle, &args, training ? 1 : 0, out contextHandle));
        }
        if (!training)
        {
            contextHandle.Dispose();
            return new RnnForwardResult(y, hn, cn, null);
        }
        return new RnnForwardResult(y, hn, cn, new OneDnnTrainingContext(this, shape, contextHandle));
    }

    public RnnGradients Backward(RnnTrainingContext context, RnnOutputGradients gradients)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        ArgumentNullException.ThrowIfNull(context);
        context.EnsureUsableBy(this);
        var ctx = (OneDnnTrainingContext)context;
        var shape = ctx.Shape;
        RnnBatchValidator.ValidateGradients(Spec, shape, gradients);

        int rows = Spec.NumLayers * Spec.Directions;
        var dx = shape.BatchFirst
            ? Tensor.Zeros(shape.Batch, shape.SeqLen, Spec.InputSize)
            : Tensor.Zeros(shape.SeqLen, shape.Batch, Spec.InputSize);
        var dh0 = Tensor.Zeros(rows, shape.Batch, Spec.HiddenStateSize);
        var dc0 = Spec.Cell.HasCellState() ? Tensor.Zeros(rows, shape.Batch, Spec.CellStateSize) : null;
        var dparams = new float[_parameterCount];
        try
        {
            fixed (float* dy = gradients.Output?.Data, dhn = gradients.Hidden?.Data, dcn = gradients.Cell?.Data)
            fixed (float* pdx = dx.Data, pdh0 = dh0.Data, pdc0 = dc0?.Data, pdp = dparams)
            {
                var args = new NativeBackwardArgs
                {
                    GradOutput = dy, GradOutputCount = gradients.Output?.Length ?? 0,
                    GradHn = dhn, GradHnCount = gradients.Hidden?.Length ?? 0,
                    GradCn = dcn, GradCnCount = gradients.Cell?.Length ?? 0,
                    GradInput = pdx, GradInputCount = dx.Length,
                    GradH0 = pdh0, GradH0Count = dh0.Length,
                    GradC0 = pdc0, GradC0Count = dc0?.Length ?? 0,
                    GradParams = pdp, GradParamsCount = dparams.Length,
                };
                OneDnnStatusCheck.Ensure(OneDnnNative.ExecutorBackward(_handle, ctx.Handle, &args));
            }
        }
        finally
        {
            context.Dispose();
        }
        return new RnnGradients(dx, dh0, dc0, FlatParameterLayout.Unflatten(Spec, dparams));
    }

    public void UpdateParameters(RnnParameters parameters)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        RnnBatchValidator.ValidateParameters(Spec, parameters);
        var flat = FlatParameterLayout.Flatten(parameters);
        fixed (float* p = flat)
            OneDnnStatusCheck.Ensure(OneDnnNative.ExecutorUpdateWeights(_handle, p, flat.Length));
    }

    public void Dispose() => _handle.Dispose();
}
