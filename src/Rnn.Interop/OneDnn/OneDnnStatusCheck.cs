namespace RnnNative.Interop.OneDnn;

/// <summary>Turns a shim status into the matching <see cref="RnnBackendException"/>, carrying the shim's message for the calling thread.</summary>
internal static class OneDnnStatusCheck
{
    public static void Ensure(NativeStatus status)
    {
        if (status == NativeStatus.Ok) return;
        throw ToException(status, OneDnnNative.LastError());
    }

    internal static RnnBackendException ToException(NativeStatus status, string message) =>
        RnnBackendException.Create("onednn", ErrorCodeOf(status), (int)status, message);

    internal static RnnBackendErrorCode ErrorCodeOf(NativeStatus status) => status switch
    {
        NativeStatus.InvalidArgument => RnnBackendErrorCode.InvalidArgument,
        NativeStatus.Unsupported => RnnBackendErrorCode.Unsupported,
        NativeStatus.OutOfMemory => RnnBackendErrorCode.OutOfMemory,
        NativeStatus.BackendError => RnnBackendErrorCode.LibraryFailure,
        _ => RnnBackendErrorCode.Internal,
    };
}
