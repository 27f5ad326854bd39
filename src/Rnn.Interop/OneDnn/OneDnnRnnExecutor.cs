using RnnNative.Extensibility;
namespace RnnNative.Interop.OneDnn;

/// <summary>
/// A model prepared in the shim: weights reordered once into oneDNN's preferred layouts, primitives cached per shape.
/// Any number of threads may call it at once: the shim lends each call its own workspace and runs it on the call's
/// OpenMP thread count, so K callers × 1 thread run side by side on K cores.
/// </summary>
internal sealed unsafe class OneDnnRnnExecutor : RnnExecutor
{
    private readonly OneDnnExecutorHandle _handle;
    private readonly long _parameterCount;

    public OneDnnRnnExecutor(OneDnnBackend backend, RnnParameters parameters, RnnExecutorOptions options)
        : base(backend, parameters.Spec, options)
    {
        var desc = NativeModelDesc.From(Spec, options);
        var flat = FlatParameterLayout.Flatten(parameters);
        _parameterCount = flat.Length;
        fixed (float* p = flat)
        {
            OneDnnStatusCheck.Ensure(OneDnnNative.ExecutorCreate(&desc, p, flat.Length, out var handle));
            _handle = handle;
        }
    }

    protected override void ForwardCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs)
    {
        // The caller's memory is pinned for the call and handed to the shim as is: for f32 over a sorted batch the
        // shim reads the input and writes y in place.
        fixed (int* lengths = request.Lengths)
        fixed (float* x = request.Input, h0 = request.InitialHidden, c0 = request.InitialCell)
        fixed (float* py = outputs.Output, phn = outputs.Hidden, pcn = outputs.Cell)
        {
            var args = ForwardArgs(request, outputs, lengths, x, h0, c0, py, phn, pcn);
            OneDnnStatusCheck.Ensure(OneDnnNative.ExecutorInfer(_handle, &args, 0, null));
        }
    }

    protected override RnnTrainingContext ForwardForTrainingCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs, RnnBatchShape shape)
    {
        OneDnnContextHandle contextHandle;
        fixed (int* lengths = request.Lengths)
        fixed (float* x = request.Input, h0 = request.InitialHidden, c0 = request.InitialCell)
        fixed (float* py = outputs.Output, phn = outputs.Hidden, pcn = outputs.Cell)
        {
            var args = ForwardArgs(request, outputs, lengths, x, h0, c0, py, phn, pcn);
            OneDnnStatusCheck.Ensure(OneDnnNative.ExecutorForward(_handle, &args, 1, out contextHandle));
        }
        return new OneDnnTrainingContext(this, shape, contextHandle);
    }

    /// <summary>The shim's view of a validated call; empty spans become null pointers.</summary>
    internal static NativeForwardArgs ForwardArgs(in RnnInferenceRequest request, in RnnOutputBuffers outputs, int* lengths,
        float* x, float* h0, float* c0, float* y, float* hn, float* cn) => new()
    {
        SeqLen = request.SeqLen,
        Batch = request.Batch,
        BatchFirst = request.BatchFirst ? 1 : 0,
        Threads = request.Threads,
        Lengths = request.Lengths.IsEmpty ? null : lengths,
        Input = x, InputCount = request.Input.Length,
        H0 = request.InitialHidden.IsEmpty ? null : h0, H0Count = request.InitialHidden.Length,
        C0 = request.InitialCell.IsEmpty ? null : c0, C0Count = request.InitialCell.Length,
        Output = y, OutputCount = outputs.Output.Length,
        Hn = hn, HnCount = outputs.Hidden.Length,
        Cn = outputs.Cell.IsEmpty ? null : cn, CnCount = outputs.Cell.Length,
    };

    protected override RnnGradients BackwardCore(RnnTrainingContext context, RnnOutputGradients gradients)
    {
        var ctx = (OneDnnTrainingContext)context;
        var shape = ctx.Shape;
        int rows = Spec.NumLayers * Spec.Directions;
        var dx = shape.NewSequence(Spec.InputSize);
        var dh0 = RnnTensors.Zeros(rows, shape.Batch, Spec.HiddenStateSize);
        var dc0 = Spec.Cell.HasCellState() ? RnnTensors.Zeros(rows, shape.Batch, Spec.CellStateSize) : null;
        var dparams = new float[_parameterCount];
        Span<float> gradOutput = gradients.Output is null ? default : gradients.Output.Span;
        Span<float> gradHn = gradients.Hidden is null ? default : gradients.Hidden.Span;
        Span<float> gradCn = gradients.Cell is null ? default : gradients.Cell.Span;
        Span<float> gradC0 = dc0 is null ? default : dc0.Span;
        fixed (float* dy = gradOutput, dhn = gradHn, dcn = gradCn)
        fixed (float* pdx = dx.Span, pdh0 = dh0.Span, pdc0 = gradC0, pdp = dparams)
        {
            var args = new NativeBackwardArgs
            {
                GradOutput = gradOutput.IsEmpty ? null : dy, GradOutputCount = gradOutput.Length,
                GradHn = gradHn.IsEmpty ? null : dhn, GradHnCount = gradHn.Length,
                GradCn = gradCn.IsEmpty ? null : dcn, GradCnCount = gradCn.Length,
                GradInput = pdx, GradInputCount = dx.Length,
                GradH0 = pdh0, GradH0Count = dh0.Length,
                GradC0 = gradC0.IsEmpty ? null : pdc0, GradC0Count = gradC0.Length,
                GradParams = pdp, GradParamsCount = dparams.Length,
            };
            OneDnnStatusCheck.Ensure(OneDnnNative.ExecutorBackward(_handle, ctx.Handle, &args));
        }
        return new RnnGradients(dx, dh0, dc0, FlatParameterLayout.Unflatten(Spec, dparams));
    }

    protected override void UpdateParametersCore(RnnParameters parameters)
    {
        var flat = FlatParameterLayout.Flatten(parameters);
        fixed (float* p = flat)
            OneDnnStatusCheck.Ensure(OneDnnNative.ExecutorUpdateWeights(_handle, p, flat.Length));
    }

    protected override void Dispose(bool disposing) => _handle.Dispose();
}
