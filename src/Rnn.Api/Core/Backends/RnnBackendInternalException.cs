namespace RnnNative;

/// <summary>A bug in the native layer (its own internal error, or a status this library does not know).</summary>
public sealed class RnnBackendInternalException : RnnBackendException
{
    public RnnBackendInternalException(string backend, int nativeCode, string message, Exception? inner = null)
        : base(backend, RnnBackendErrorCode.Internal, nativeCode, message, inner) { }
}
