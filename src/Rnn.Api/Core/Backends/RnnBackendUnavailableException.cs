namespace RnnNative;

/// <summary>
/// A backend is asked to run but cannot (its library is missing, no GPU, unsupported precision). It is a backend
/// failure like the others, so one catch of <see cref="RnnBackendException"/> covers it; it usually has no native
/// status (<see cref="RnnBackendException.NativeCode"/> 0), and where a native refusal caused it, that is its inner exception.
/// </summary>
public sealed class RnnBackendUnavailableException : RnnBackendException
{
    public RnnBackendUnavailableException(string backend, string reason, Exception? inner = null)
        : base(backend, RnnBackendErrorCode.Unavailable, 0, $"The {backend} backend is unavailable: {reason}", inner)
    {
        Reason = reason;
    }

    public string Reason { get; }
}
