namespace RnnNative.Interop.CuDnn.Native;

/// <summary>cudnnMathType_t: Default allows TF32 on Ampere and later; Fma forbids tensor cores.</summary>
internal enum CuDnnMathType
{
    Default = 0,
    TensorOp = 1,
    TensorOpAllowConversion = 2,
    Fma = 3,
}
