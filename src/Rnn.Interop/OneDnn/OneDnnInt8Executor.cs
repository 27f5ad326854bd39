using RnnNative.Extensibility;
namespace RnnNative.Interop.OneDnn;

/// <summary>
/// An LSTM prepared for int8 inference in the shim: s8 weights with per-output-channel scales, u8 activations with the
/// calibrated per-layer scale and shift from <see cref="RnnExecutorOptions.Quantization"/>. Inference only; calls from
/// several threads run side by side (each call has its own buffers in the shim).
/// </summary>
public sealed unsafe class OneDnnInt8Executor : RnnExecutor
{
    private readonly OneDnnInt8ExecutorHandle _handle;

    internal OneDnnInt8Executor(OneDnnBackend backend, RnnParameters parameters, RnnExecutorOptions options)
        : base(backend, parameters.Spec, options)
    {
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

    public Int8Quantization Quantization { get; }

    /// <summary>Bytes of the prepared s8 weights (with oneDNN's compensation terms) and the f32 bias.</summary>
    public long WeightBytes { get; }

    /// <summary>Bytes of the same weights and bias in f32, for comparison.</summary>
    public long F32WeightBytes { get; }

    /// <summary>Caller memory in and out: the shim quantizes the input as it reads it and writes y, h_n and c_n in place.</summary>
    protected override void ForwardCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs)
    {
        fixed (int* lengths = request.Lengths)
        fixed (float* x = request.Input, h0 = request.InitialHidden, c0 = request.InitialCell)
        fixed (float* py = outputs.Output, phn = outputs.Hidden, pcn = outputs.Cell)
        {
            var args = OneDnnRnnExecutor.ForwardArgs(request, outputs, lengths, x, h0, c0, py, phn, pcn);
            OneDnnStatusCheck.Ensure(OneDnnInt8Native.Forward(_handle, &args));
        }
    }

    protected override RnnTrainingContext ForwardForTrainingCore(in RnnInferenceRequest request, in RnnOutputBuffers outputs, RnnBatchShape shape) =>
        throw new NotSupportedException("int8 runs inference only (oneDNN has no int8 training); train in f32 or bf16.");

    protected override RnnGradients BackwardCore(RnnTrainingContext context, RnnOutputGradients gradients) =>
        throw new NotSupportedException("int8 runs inference only; there is no int8 backward pass (train in f32 or bf16).");

    protected override void UpdateParametersCore(RnnParameters parameters) =>
        throw new NotSupportedException("An int8 executor's weights are quantized once; create a new executor (and recalibrate) for new weights.");

    protected override void Dispose(bool disposing) => _handle.Dispose();
}
