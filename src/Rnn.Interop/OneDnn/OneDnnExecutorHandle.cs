using Microsoft.Win32.SafeHandles;

namespace RnnNative.Interop.OneDnn;

/// <summary>Owns an rnn_executor; released exactly once, never while a call is using it.</summary>
internal sealed class OneDnnExecutorHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OneDnnExecutorHandle() : base(ownsHandle: true) { }

    /// <summary>Wraps a raw value without owning it (tests hand the shim handles it never made).</summary>
    internal OneDnnExecutorHandle(IntPtr existing, bool ownsHandle) : base(ownsHandle) => SetHandle(existing);

    protected override bool ReleaseHandle() => OneDnnNative.ExecutorDestroy(handle) == NativeStatus.Ok;
}
