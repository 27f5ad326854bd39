namespace RnnNative.Interop.CuDnn.Native;

/// <summary>The auxFlags of cudnnSetRNNDescriptor_v8 (CUDNN_RNN_PADDED_IO_DISABLED / _ENABLED).</summary>
[Flags]
internal enum CuDnnRnnAuxFlags : uint
{
    PaddedIoDisabled = 0,
    PaddedIoEnabled = 1,
}
