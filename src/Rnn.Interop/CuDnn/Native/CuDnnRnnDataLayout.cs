namespace RnnNative.Interop.CuDnn.Native;

/// <summary>cudnnRNNDataLayout_t. The unpacked layouts need <see cref="CuDnnRnnAuxFlags.PaddedIoEnabled"/>.</summary>
internal enum CuDnnRnnDataLayout
{
    SeqMajorUnpacked = 0,
    SeqMajorPacked = 1,
    BatchMajorUnpacked = 2,
}
