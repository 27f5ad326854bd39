namespace RnnNative.Interop.CuDnn.Native;

/// <summary>cudnnWgradMode_t: Add accumulates into dweightSpace, which must therefore be zeroed first.</summary>
internal enum CuDnnWgradMode
{
    Add = 0,
    Set = 1,
}
