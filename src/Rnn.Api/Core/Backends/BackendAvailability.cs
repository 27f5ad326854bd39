namespace RnnNative;

/// <summary>Whether a backend can run here, and if not, why (library not found and where it looked, no GPU, ...).</summary>
public sealed record BackendAvailability(bool IsAvailable, string Reason)
{
    public static BackendAvailability Available(string detail = "available") => new(true, detail);
    public static BackendAvailability Unavailable(string reason) => new(false, reason);
}
