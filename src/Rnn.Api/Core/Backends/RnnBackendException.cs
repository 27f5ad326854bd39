namespace RnnNative;

/// <summary>
/// A backend's native layer failed on a request that passed validation. Every backend's native exceptions derive from
/// it, so one catch handles them all; <see cref="ErrorCode"/> says what kind of failure, <see cref="NativeCode"/> keeps
/// the library's own number.
/// </summary>
public class RnnBackendException : InvalidOperationException
{
    public RnnBackendException(string backend, RnnBackendErrorCode errorCode, int nativeCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        Backend = backend;
        ErrorCode = errorCode;
        NativeCode = nativeCode;
    }

    /// <summary>The backend's short name: onednn, cudnn.</summary>
    public string Backend { get; }

    public RnnBackendErrorCode ErrorCode { get; }

    /// <summary>The native status as the library numbers it (rnn_status, cudnnStatus_t, cudaError_t).</summary>
    public int NativeCode { get; }
}
