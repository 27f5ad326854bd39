using System.Diagnostics.Metrics;

namespace RnnNative.Streaming;

/// <summary>
/// How an <see cref="RnnStreamBatcher"/> forms batches and keeps streams. The defaults suit a service with up to a few
/// thousand live streams on a small CPU; every bound is checked when the batcher is made.
/// </summary>
public sealed record RnnStreamOptions
{
    public static RnnStreamOptions Default { get; } = new();

    /// <summary>The most streams one executor call carries.</summary>
    public int MaxBatchSize { get; init; } = 64;

    /// <summary>
    /// How long the oldest pending step may wait for others to join its batch, in microseconds; 0 runs a call as soon
    /// as a caller is free. Steps still batch at 0: those that arrive while every call is busy go together into the
    /// next one.
    /// </summary>
    public int MaxQueueDelayMicroseconds { get; init; }

    /// <summary>Executor calls in flight at once (Triton's model instances). Keep this × <see cref="ThreadsPerCall"/> ≤ cores.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>CPU threads per executor call; 0 uses the executor's own setting.</summary>
    public int ThreadsPerCall { get; init; }

    /// <summary>The most live streams; opening one more evicts the least recently used idle stream, and reports it.</summary>
    public int MaxLiveStreams { get; init; } = 100_000;

    /// <summary>A stream with no step for this long is evicted and reported; <see cref="Timeout.InfiniteTimeSpan"/> keeps streams until ended.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether a step on an unknown key opens a stream with zero states (Triton's implicit start). When false, a stream
    /// must be opened with <see cref="RnnStreamBatcher.Open"/> or <see cref="RnnStreamBatcher.ImportState"/> first, so
    /// no step can ever start a stream afresh by mistake.
    /// </summary>
    public bool OpenOnFirstStep { get; init; } = true;

    /// <summary>
    /// How many ended or evicted keys are remembered, so that a later step on one of them fails with the reason
    /// instead of opening a new stream. The oldest are forgotten first.
    /// </summary>
    public int RememberClosedStreams { get; init; } = 100_000;

    /// <summary>The most time steps one <see cref="RnnStreamBatcher.StepAsync(string, ReadOnlyMemory{float}, Memory{float}, CancellationToken)"/> may bring.</summary>
    public int MaxStepsPerRequest { get; init; } = 1024;

    /// <summary>Where the batcher's instruments come from (dependency injection); null makes its own meter.</summary>
    public IMeterFactory? MeterFactory { get; init; }

    internal void Validate()
    {
        static void AtLeast(int value, int floor, string name)
        {
            if (value < floor) throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {floor}; got {value}.");
        }
        AtLeast(MaxBatchSize, 1, nameof(MaxBatchSize));
        AtLeast(MaxQueueDelayMicroseconds, 0, nameof(MaxQueueDelayMicroseconds));
        AtLeast(Concurrency, 1, nameof(Concurrency));
        AtLeast(ThreadsPerCall, 0, nameof(ThreadsPerCall));
        AtLeast(MaxLiveStreams, 1, nameof(MaxLiveStreams));
        AtLeast(RememberClosedStreams, 0, nameof(RememberClosedStreams));
        AtLeast(MaxStepsPerRequest, 1, nameof(MaxStepsPerRequest));
        if (IdleTimeout != Timeout.InfiniteTimeSpan && IdleTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(IdleTimeout), IdleTimeout, "IdleTimeout must be positive, or Timeout.InfiniteTimeSpan.");
    }
}
