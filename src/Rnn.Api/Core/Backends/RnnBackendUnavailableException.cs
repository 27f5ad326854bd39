namespace RnnNative;

/// <summary>Thrown when a backend is asked to run but cannot (its library is missing, no GPU, unsupported precision).</summary>
public class RnnBackendUnavailableException : InvalidOperationException
{
    public RnnBackendUnavailableException(string backend, string reason)
        : base($"The {backend} backend is unavailable: {reason}")
    {
        Backend = backend;
        Reason = reason;
    }

    public string Backend { get; }
    public string Reason { get; }
}
