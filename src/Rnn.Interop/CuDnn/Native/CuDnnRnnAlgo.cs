namespace RnnNative.Interop.CuDnn.Native;

/// <summary>cudnnRNNAlgo_t. Only Standard supports per-sequence lengths.</summary>
internal enum CuDnnRnnAlgo
{
    Standard = 0,
    PersistStatic = 1,
    PersistDynamic = 2,
    PersistStaticSmallH = 3,
}
