namespace RnnNative;

/// <summary>The native library refused an argument that managed validation let through: a bug in this library, not in the caller's input.</summary>
public sealed class RnnBackendInvalidArgumentException : RnnBackendException
{
    public RnnBackendInvalidArgumentException(string backend, int nativeCode, string message, Exception? inner = null)
        : base(backend, RnnBackendErrorCode.InvalidArgument, nativeCode, message, inner) { }
}
