namespace RnnNative.Streaming;

/// <summary>
/// One live stream: its states and its place in the queues. The states are written only by the call that carries the
/// stream's step, and a stream has at most one step in the ready queue or in a call at a time (<see cref="Busy"/>), so
/// its steps run one after another, in the order they were submitted.
/// </summary>
internal sealed class StreamSlot
{
    public StreamSlot(string key, int hiddenLength, int cellLength)
    {
        Key = key;
        Hidden = new float[hiddenLength];
        Cell = new float[cellLength];
        Lru = new LinkedListNode<StreamSlot>(this);
    }

    public string Key { get; }

    /// <summary>h per layer, (L, S) row-major.</summary>
    public float[] Hidden { get; }

    /// <summary>c per layer, (L, H) row-major; empty for cells without one.</summary>
    public float[] Cell { get; }

    public LinkedListNode<StreamSlot> Lru { get; }

    /// <summary>A step of this stream is in the ready queue or in a call.</summary>
    public bool Busy { get; set; }

    /// <summary>Steps submitted while <see cref="Busy"/>, in submission order.</summary>
    public Queue<PendingStep> Waiting { get; } = new();

    /// <summary>End was asked while steps were pending; the stream closes after the last of them.</summary>
    public bool Ending { get; set; }

    /// <summary>Set when the stream leaves the table; a slot still referenced by a call is then no longer the key's stream.</summary>
    public bool Closed { get; set; }

    public long LastUsedTimestamp { get; set; }
}
