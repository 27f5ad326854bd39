namespace RnnNative;

/// <summary>The underlying library (oneDNN, cuDNN) failed on a request it accepted.</summary>
public sealed class RnnBackendLibraryException : RnnBackendException
{
    public RnnBackendLibraryException(string backend, int nativeCode, string message, Exception? inner = null)
        : base(backend, RnnBackendErrorCode.LibraryFailure, nativeCode, message, inner) { }
}
