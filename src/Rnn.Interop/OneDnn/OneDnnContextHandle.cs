using Microsoft.Win32.SafeHandles;

namespace RnnNative.Interop.OneDnn;

/// <summary>Owns an rnn_context (a training forward pass's saved state, workspaces included).</summary>
internal sealed class OneDnnContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OneDnnContextHandle() : base(ownsHandle: true) { }

    internal OneDnnContextHandle(IntPtr existing, bool ownsHandle) : base(ownsHandle) => SetHandle(existing);

    protected override bool ReleaseHandle() => OneDnnNative.ContextDestroy(handle) == NativeStatus.Ok;
}
