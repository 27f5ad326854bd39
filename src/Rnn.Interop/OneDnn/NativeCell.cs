namespace RnnNative.Interop.OneDnn;

/// <summary>rnn_cell of librnnshim (native/include/rnnshim.h).</summary>
internal enum NativeCell
{
    Tanh = 0,
    Relu = 1,
    Lstm = 2,
    Gru = 3,
}
