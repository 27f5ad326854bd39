namespace RnnNative;

/// <summary>Arithmetic precision of a backend. Reduced precisions keep f32 accumulation and f32 at the API.</summary>
public enum RnnPrecision
{
    F32,
    Bf16,
    F16,

    /// <summary>
    /// LSTM inference with u8 activations and s8 weights (int32 accumulation, f32 cell state and outputs), on oneDNN.
    /// Needs an <see cref="Int8Quantization"/> in <see cref="RnnExecutorOptions.Quantization"/> (see <see cref="Int8Calibration"/>).
    /// </summary>
    Int8,
}
