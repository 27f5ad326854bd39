namespace RnnNative.Interop.CuDnn.Native;

/// <summary>cudnnRNNMode_t.</summary>
internal enum CuDnnRnnMode
{
    RnnRelu = 0,
    RnnTanh = 1,
    Lstm = 2,
    Gru = 3,
}
