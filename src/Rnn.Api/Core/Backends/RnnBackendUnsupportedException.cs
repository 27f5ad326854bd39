namespace RnnNative;

/// <summary>A valid request that this build, CPU or GPU cannot run (a precision, cell or option the native library lacks).</summary>
public sealed class RnnBackendUnsupportedException : RnnBackendException
{
    public RnnBackendUnsupportedException(string backend, int nativeCode, string message, Exception? inner = null)
        : base(backend, RnnBackendErrorCode.Unsupported, nativeCode, message, inner) { }
}
