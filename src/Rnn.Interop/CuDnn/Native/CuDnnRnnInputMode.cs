namespace RnnNative.Interop.CuDnn.Native;

/// <summary>cudnnRNNInputMode_t. LinearInput applies weight_ih to the input, as PyTorch does.</summary>
internal enum CuDnnRnnInputMode
{
    LinearInput = 0,
    SkipInput = 1,
}
