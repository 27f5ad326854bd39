namespace RnnNative.Interop.OneDnn;

/// <summary>rnn_precision of librnnshim (native/include/rnnshim.h).</summary>
internal enum NativePrecision
{
    F32 = 0,
    Bf16 = 1,
    F16 = 2,
}
