namespace RnnNative.Interop.OneDnn;

/// <summary>Turns a shim status into the matching .NET exception, carrying the shim's message for the calling thread.</summary>
internal static class OneDnnStatusCheck
{
    public static void Ensure(NativeStatus status)
    {
        if (status == NativeStatus.Ok) return;
        throw ToException(status, OneDnnNative.LastError());
    }

    internal static Exception ToException(NativeStatus status, string message) => status switch
    {
        NativeStatus.InvalidArgument => new ArgumentException(message),
        NativeStatus.Unsupported => new NotSupportedException(message),
        NativeStatus.OutOfMemory => new InsufficientMemoryException(message),
        _ => new OneDnnException(status, message),
    };

    internal static RnnBackendErrorCode ErrorCodeOf(NativeStatus status) => status switch
    {
        NativeStatus.InvalidArgument => RnnBackendErrorCode.InvalidArgument,
        NativeStatus.Unsupported => RnnBackendErrorCode.Unsupported,
        NativeStatus.OutOfMemory => RnnBackendErrorCode.OutOfMemory,
        NativeStatus.BackendError => RnnBackendErrorCode.LibraryFailure,
        _ => RnnBackendErrorCode.Internal,
    };
}
