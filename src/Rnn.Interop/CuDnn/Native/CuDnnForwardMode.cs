namespace RnnNative.Interop.CuDnn.Native;

/// <summary>cudnnForwardMode_t: training keeps a reserve space for the backward pass.</summary>
internal enum CuDnnForwardMode
{
    Inference = 0,
    Training = 1,
}
