using Microsoft.Win32.SafeHandles;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>A cudnnTensorDescriptor_t: the h/c state tensors, and the shapes cudnnGetRNNWeightParams reports.</summary>
internal sealed class CuDnnTensorDescriptor : SafeHandleZeroOrMinusOneIsInvalid
{
    private const int MaxDims = 8;

    private CuDnnTensorDescriptor() : base(ownsHandle: true) { }

    public static CuDnnTensorDescriptor Create()
    {
        CuDnnStatusCheck.Check(CuDnnNative.cudnnCreateTensorDescriptor(out var raw), "cudnnCreateTensorDescriptor");
        var descriptor = new CuDnnTensorDescriptor();
        descriptor.SetHandle(raw);
        return descriptor;
    }

    /// <summary>A fully packed 3-D tensor (d0, d1, d2), row-major.</summary>
    public unsafe void SetPacked3d(CuDnnDataType dataType, int d0, int d1, int d2)
    {
        int* dims = stackalloc int[3] { d0, d1, d2 };
        int* strides = stackalloc int[3] { d1 * d2, d2, 1 };
        CuDnnStatusCheck.Check(CuDnnNative.cudnnSetTensorNdDescriptor(this, dataType, 3, dims, strides), "cudnnSetTensorNdDescriptor");
    }

    public unsafe (CuDnnDataType DataType, int[] Dims) Get()
    {
        int* dims = stackalloc int[MaxDims];
        int* strides = stackalloc int[MaxDims];
        CuDnnStatusCheck.Check(CuDnnNative.cudnnGetTensorNdDescriptor(this, MaxDims, out var dataType, out int rank, dims, strides),
            "cudnnGetTensorNdDescriptor");
        return (dataType, new ReadOnlySpan<int>(dims, Math.Clamp(rank, 0, MaxDims)).ToArray());
    }

    protected override bool ReleaseHandle() => CuDnnNative.cudnnDestroyTensorDescriptor(handle) == CuDnnStatus.Success;
}
