using Microsoft.Win32.SafeHandles;

namespace RnnNative.Interop.OneDnn;

/// <summary>Owns an rnn_int8_executor; released exactly once, never while a call is using it.</summary>
internal sealed class OneDnnInt8ExecutorHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OneDnnInt8ExecutorHandle() : base(ownsHandle: true) { }

    /// <summary>Wraps a raw value without owning it (tests hand the shim handles it never made).</summary>
    internal OneDnnInt8ExecutorHandle(IntPtr existing, bool ownsHandle) : base(ownsHandle) => SetHandle(existing);

    protected override bool ReleaseHandle() => OneDnnInt8Native.Destroy(handle) == NativeStatus.Ok;
}
