namespace RnnNative;

/// <summary>
/// A backend could not run a request. Every backend failure derives from it, one subclass per
/// <see cref="RnnBackendErrorCode"/>, so one catch handles them all and a narrower catch picks a kind;
/// <see cref="NativeCode"/> keeps the native library's own number. Argument errors the caller can fix are
/// <see cref="ArgumentException"/>s thrown before any native call, never these.
/// </summary>
public abstract class RnnBackendException : Exception
{
    protected RnnBackendException(string backend, RnnBackendErrorCode errorCode, int nativeCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        Backend = backend;
        ErrorCode = errorCode;
        NativeCode = nativeCode;
    }

    /// <summary>The backend's short name: onednn, cudnn.</summary>
    public string Backend { get; }

    public RnnBackendErrorCode ErrorCode { get; }

    /// <summary>The native status as the library numbers it (rnn_status, cudnnStatus_t, cudaError_t); 0 where there is none.</summary>
    public int NativeCode { get; }

    /// <summary>
    /// The exception for a failure of kind <paramref name="errorCode"/>: the one place each backend's status check
    /// turns a mapped native status into its subclass.
    /// </summary>
    public static RnnBackendException Create(string backend, RnnBackendErrorCode errorCode, int nativeCode, string message, Exception? inner = null) =>
        errorCode switch
        {
            RnnBackendErrorCode.InvalidArgument => new RnnBackendInvalidArgumentException(backend, nativeCode, message, inner),
            RnnBackendErrorCode.Unsupported => new RnnBackendUnsupportedException(backend, nativeCode, message, inner),
            RnnBackendErrorCode.OutOfMemory => new RnnBackendOutOfMemoryException(backend, nativeCode, message, inner),
            RnnBackendErrorCode.LibraryFailure => new RnnBackendLibraryException(backend, nativeCode, message, inner),
            RnnBackendErrorCode.DeviceFailure => new RnnBackendDeviceException(backend, nativeCode, message, inner),
            RnnBackendErrorCode.Unavailable => new RnnBackendUnavailableException(backend, message, inner),
            // Throwing here would hide the native failure being reported; an unknown kind is a bug in the native layer's mapping.
            _ => new RnnBackendInternalException(backend, nativeCode, message, inner),
        };
}
