using Microsoft.Win32.SafeHandles;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>A cuDNN context (cudnnHandle_t) bound to the current device; not to be used by two threads at once.</summary>
internal sealed class CuDnnHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private CuDnnHandle() : base(ownsHandle: true) { }

    public static CuDnnHandle Create()
    {
        CuDnnStatusCheck.Check(CuDnnNative.cudnnCreate(out var raw), "cudnnCreate");
        var handle = new CuDnnHandle();
        handle.SetHandle(raw);
        return handle;
    }

    public void SetStream(CudaStream stream) => CuDnnStatusCheck.Check(CuDnnNative.cudnnSetStream(this, stream), "cudnnSetStream");

    protected override bool ReleaseHandle() => CuDnnNative.cudnnDestroy(handle) == CuDnnStatus.Success;
}
