namespace RnnNative.Streaming;

/// <summary>One eviction: the stream's key and why. Its state is gone; export states first to keep them.</summary>
public sealed class RnnStreamEvictedEventArgs(string key, RnnStreamCloseReason reason) : EventArgs
{
    public string Key { get; } = key;
    public RnnStreamCloseReason Reason { get; } = reason;
}
