namespace RnnNative.Interop.OneDnn;

/// <summary>
/// An LSTM prepared for int8 inference in the shim: s8 weights with per-output-channel scales, u8 activations with the
/// calibrated per-layer scale and shift from <see cref="RnnExecutorOptions.Quantization"/>. Inference only; calls from
/// several threads run side by side (each call has its own buffers in the shim).
/// </summary>
public sealed unsafe class OneDnnInt8Executor : IRnnExecutor
{
    private readonly OneDnnInt8ExecutorHandle _handle;

    internal OneDnnInt8Executor(OneDnnBackend backend, RnnParameters parameters, RnnExecutorOptions options)
    {
        Backend = backend;
        Options = options;
        Spec = parameters.Spec;
        RnnBatchValidator.ValidateParameters(Spec, parameters);
        if (Spec.Cell != RnnCellKind.Lstm) throw UnsupportedCell(Spec.Cell);
        var quantization = options.Quantization ?? throw new InvalidOperationException(MissingCalibrationMessage);
        quantization.EnsureFits(Spec, nameof(options));
        Quantization = quantization;
        var desc = NativeModelDesc.From(Spec, options with { Precision = RnnPrecision.F32 });
        var flat = FlatParameterLayout.Flatten(parameters);
        var scales = quantization.Layers.Select(l => l.Scale).ToArray();
        var shifts = quantization.Layers.Select(l => l.Shift).ToArray();
        fixed (float* p = flat, ps = scales, pz = shifts)
        {
            OneDnnStatusCheck.Ensure(OneDnnInt8Native.Create(&desc, p, flat.Length, ps, pz, scales.Length, out var handle));
            _handle = handle;
        }
        OneDnnStatusCheck.Ensure(OneDnnInt8Native.WeightBytes(_handle, out long int8Bytes, out long f32Bytes));
        WeightBytes = int8Bytes;
        F32WeightBytes = f32Bytes;
    }

    internal const string MissingCalibrationMessage =
        "int8 needs a calibrated quantization: run `rnn calibrate --model M --input SAMPLE.npy` (or Int8Calibration.Calibrate) " +
        "and pass it as RnnExecutorOptions.Quantization (the CLI reads it from the model file's int8.* metadata).";

    internal static NotSupportedException UnsupportedCell(RnnCellKind cell) => new(
        $"int8 runs LSTM inference only; {cell.ToModeName()} has no int8 kernel in oneDNN 2.6 (PyTorch's GRU is oneDNN's LBR-GRU); use f32 or bf16.");

    public RnnSpec Spec { get; }
    public IRnnBackend Backend { get; }
    public RnnExecutorOptions Options { get; }
    public Int8Quantization Quantization { get; }

    /// <summary>Bytes of the prepared s8 weights (with oneDNN's compensation terms) and the f32 bias.</summary>
    public long WeightBytes { get; }

    /// <summary>Bytes of the same weights and bias in f32, for comparison.</summary>
    public long F32WeightBytes { get; }

    /// <summary>Caller memory in and out; int8 stages through its own tensors (the quantizing path copies anyway).</summary>
    public void Forward(in RnnInferenceRequest request, in RnnOutputBuffers outputs)
    {
        RnnBatchValidator.Validate(Spec, request, outputs);
        using var result = Forward(request.ToStagedInput(Spec));
        outputs.CopyFrom(result);
    }

    public RnnForwardResult Forward(RnnInput input, RnnMode mode = RnnMode.Inference)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (mode != RnnMode.Inference)
            throw new NotSupportedException("int8 runs inference only (oneDNN has no int8 training); train in f32 or bf16.");
        var shape = RnnBatchValidator.Validate(Spec, input);
        int rows = Spec.NumLayers * Spec.Directions;
        var y = shape.BatchFirst
            ? Tensor.Zeros(shape.Batch, shape.SeqLen, Spec.OutputSize)
            : Tensor.Zeros(shape.SeqLen, shape.Batch, Spec.OutputSize);
        var hn = Tensor.Zeros(rows, shape.Batch, Spec.HiddenStateSize);
        var cn = Tensor.Zeros(rows, shape.Batch, Spec.CellStateSize);
        fixed (int* lengths = input.Lengths)
        fixed (float* x = input.Input.Data, h0 = input.InitialHidden?.Data, c0 = input.InitialCell?.Data)
        fixed (float* py = y.Data, phn = hn.Data, pcn = cn.Data)
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
                Cn = pcn, CnCount = cn.Length,
            };
            OneDnnStatusCheck.Ensure(OneDnnInt8Native.Forward(_handle, &args));
        }
        return new RnnForwardResult(y, hn, cn, null);
    }

    public RnnGradients Backward(RnnTrainingContext context, RnnOutputGradients gradients) =>
        throw new NotSupportedException("int8 runs inference only; there is no int8 backward pass (train in f32 or bf16).");

    public void UpdateParameters(RnnParameters parameters) =>
        throw new NotSupportedException("An int8 executor's weights are quantized once; create a new executor (and recalibrate) for new weights.");

    public void Dispose() => _handle.Dispose();
}
