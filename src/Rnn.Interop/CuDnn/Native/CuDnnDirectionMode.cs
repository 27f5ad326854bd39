namespace RnnNative.Interop.CuDnn.Native;

/// <summary>cudnnDirectionMode_t.</summary>
internal enum CuDnnDirectionMode
{
    Unidirectional = 0,
    Bidirectional = 1,
}
