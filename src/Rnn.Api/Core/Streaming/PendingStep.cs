namespace RnnNative.Streaming;

/// <summary>One StepAsync: a stream's next 1..k steps, where their outputs go, and the task that answers the caller.</summary>
internal sealed class PendingStep
{
    public const int Waiting = 0, Running = 1, Cancelled = 2;

    public PendingStep(StreamSlot stream, ReadOnlyMemory<float> input, Memory<float> output, int steps, long submitted)
    {
        Stream = stream;
        Input = input;
        Output = output;
        Steps = steps;
        SubmittedTimestamp = submitted;
    }

    public StreamSlot Stream { get; }
    public ReadOnlyMemory<float> Input { get; }
    public Memory<float> Output { get; }
    public int Steps { get; }
    public long SubmittedTimestamp { get; }

    /// <summary><see cref="Waiting"/>, <see cref="Running"/> or <see cref="Cancelled"/>; changed only under the batcher's lock.</summary>
    public int State { get; set; }

    public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenRegistration Registration { get; set; }
}
