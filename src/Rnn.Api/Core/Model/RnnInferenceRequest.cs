namespace RnnNative;

/// <summary>
/// One inference batch read straight from caller memory, without a copy: input (T, N, I), or (N, T, I) when
/// <see cref="BatchFirst"/>; optional <see cref="Lengths"/> (N values, 1 ≤ length ≤ T, any order); optional initial
/// states (L·D, N, H). An empty memory means "absent". A small value type: building one per call allocates nothing.
/// Pair it with <see cref="RnnOutputBuffers"/> and <see cref="IRnnExecutor.Forward(in RnnInferenceRequest, in RnnOutputBuffers)"/>.
/// </summary>
public readonly struct RnnInferenceRequest
{
    public RnnInferenceRequest(ReadOnlyMemory<float> input, int seqLen, int batch, bool batchFirst = false)
    {
        Input = input;
        SeqLen = seqLen;
        Batch = batch;
        BatchFirst = batchFirst;
    }

    public ReadOnlyMemory<float> Input { get; }
    public int SeqLen { get; }
    public int Batch { get; }
    public bool BatchFirst { get; }

    /// <summary>Each sequence's length, or empty for all <see cref="SeqLen"/>.</summary>
    public ReadOnlyMemory<int> Lengths { get; init; }

    /// <summary>h0 (L·D, N, H), or empty for zeros.</summary>
    public ReadOnlyMemory<float> InitialHidden { get; init; }

    /// <summary>c0 (L·D, N, H) for LSTM, or empty for zeros.</summary>
    public ReadOnlyMemory<float> InitialCell { get; init; }

    /// <summary>
    /// CPU threads for this call; 0 uses <see cref="RnnExecutorOptions.Threads"/>. With K callers on one executor,
    /// keep K × threads ≤ cores: K callers × 1 thread fill K cores side by side, while more threads than cores in all
    /// make the calls compete and each one slows down. On a machine shared with other busy processes, count only the
    /// cores they leave free, and prefer 1 thread for small models (see <see cref="RnnExecutorOptions.Threads"/> for
    /// how the oneDNN backend waits). The managed reference ignores it.
    /// </summary>
    public int Threads { get; init; }

    /// <summary>
    /// The same batch as an <see cref="RnnInput"/> over copies of the caller's memory, for backends that stage data
    /// anyway (a device transfer, a quantizing pass) and so gain nothing from reading caller memory directly.
    /// </summary>
    public RnnInput ToStagedInput(RnnSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int rows = spec.NumLayers * spec.Directions;
        int[] xShape = BatchFirst ? [Batch, SeqLen, spec.InputSize] : [SeqLen, Batch, spec.InputSize];
        return new RnnInput(new Tensor(Input.ToArray(), xShape),
            Lengths.IsEmpty ? null : Lengths.ToArray(),
            InitialHidden.IsEmpty ? null : new Tensor(InitialHidden.ToArray(), rows, Batch, spec.HiddenStateSize),
            InitialCell.IsEmpty ? null : new Tensor(InitialCell.ToArray(), rows, Batch, spec.CellStateSize),
            BatchFirst);
    }
}
