using Microsoft.Win32.SafeHandles;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>
/// A dropout descriptor with probability 0: cudnnSetRNNDescriptor_v8 wants one, and our RNN layer has no dropout
/// (between-layer dropout belongs to the model on top). With p = 0 cuDNN needs no RNG state.
/// </summary>
internal sealed class CuDnnDropoutDescriptor : SafeHandleZeroOrMinusOneIsInvalid
{
    private CuDnnDropoutDescriptor() : base(ownsHandle: true) { }

    public static CuDnnDropoutDescriptor CreateDisabled(CuDnnHandle handle)
    {
        CuDnnStatusCheck.Check(CuDnnNative.cudnnCreateDropoutDescriptor(out var raw), "cudnnCreateDropoutDescriptor");
        var descriptor = new CuDnnDropoutDescriptor();
        descriptor.SetHandle(raw);
        try
        {
            CuDnnStatusCheck.Check(CuDnnNative.cudnnSetDropoutDescriptor(descriptor, handle, 0f, IntPtr.Zero, 0, 0), "cudnnSetDropoutDescriptor");
        }
        catch
        {
            descriptor.Dispose();
            throw;
        }
        return descriptor;
    }

    protected override bool ReleaseHandle() => CuDnnNative.cudnnDestroyDropoutDescriptor(handle) == CuDnnStatus.Success;
}
