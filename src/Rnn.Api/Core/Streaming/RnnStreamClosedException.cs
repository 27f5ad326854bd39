namespace RnnNative.Streaming;

/// <summary>
/// A step, export or end for a stream that was ended or evicted. A closed stream never restarts silently: open it
/// again explicitly (<see cref="RnnStreamBatcher.Open"/> or <see cref="RnnStreamBatcher.ImportState"/>).
/// </summary>
public sealed class RnnStreamClosedException : InvalidOperationException
{
    public RnnStreamClosedException(string key, RnnStreamCloseReason reason)
        : base(Describe(key, reason))
    {
        Key = key;
        Reason = reason;
    }

    public string Key { get; }
    public RnnStreamCloseReason Reason { get; }

    private static string Describe(string key, RnnStreamCloseReason reason) => reason switch
    {
        RnnStreamCloseReason.Ended => $"stream '{key}' has ended; open it again explicitly to start a new one under this key.",
        RnnStreamCloseReason.EvictedForCapacity => $"stream '{key}' was evicted (least recently used, past the live-stream bound); its state is lost.",
        _ => $"stream '{key}' was evicted after its idle timeout; its state is lost.",
    };
}
