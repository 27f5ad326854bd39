namespace RnnNative.Interop.CuDnn.Native;

/// <summary>cudnnDataType_t (cuDNN 9). Values after Boolean are FP8 types this backend never uses.</summary>
internal enum CuDnnDataType
{
    Float = 0,
    Double = 1,
    Half = 2,
    Int8 = 3,
    Int32 = 4,
    Int8x4 = 5,
    Uint8 = 6,
    Uint8x4 = 7,
    Int8x32 = 8,
    BFloat16 = 9,
    Int64 = 10,
    Boolean = 11,
}
