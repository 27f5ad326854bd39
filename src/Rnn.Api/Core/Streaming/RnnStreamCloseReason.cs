namespace RnnNative.Streaming;

/// <summary>Why a stream is no longer live.</summary>
public enum RnnStreamCloseReason
{
    /// <summary>The caller ended it (<see cref="RnnStreamBatcher.End"/>).</summary>
    Ended,
    /// <summary>Evicted, least recently used, to keep <see cref="RnnStreamOptions.MaxLiveStreams"/>.</summary>
    EvictedForCapacity,
    /// <summary>Evicted after <see cref="RnnStreamOptions.IdleTimeout"/> without a step.</summary>
    EvictedIdle,
}
