namespace RnnNative;

/// <summary>
/// Caller-owned memory that a forward pass writes into, reusable across calls: y (T, N, D·H) in the request's layout,
/// zeros at padded steps; h_n (L·D, N, S) and c_n (L·D, N, H), S being proj_size under a projection, else H. <see cref="Cell"/> may be empty for an LSTM whose c_n is not wanted,
/// and must be empty for the other cells. Each buffer holds exactly the elements of its shape; slice a larger buffer
/// with <see cref="Slice"/> to serve batches of several sizes from one allocation.
/// </summary>
public readonly struct RnnOutputBuffers
{
    public RnnOutputBuffers(Memory<float> output, Memory<float> hidden, Memory<float> cell = default)
    {
        Output = output;
        Hidden = hidden;
        Cell = cell;
    }

    public Memory<float> Output { get; }
    public Memory<float> Hidden { get; }
    public Memory<float> Cell { get; }

    /// <summary>New buffers of the exact sizes a (seqLen, batch) forward pass of <paramref name="spec"/> writes.</summary>
    public static RnnOutputBuffers Allocate(RnnSpec spec, int seqLen, int batch)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (y, hidden, cell) = Sizes(spec, seqLen, batch);
        return new RnnOutputBuffers(new float[y], new float[hidden], spec.Cell.HasCellState() ? new float[cell] : default);
    }

    /// <summary>
    /// The leading parts of these buffers that a (seqLen, batch) forward pass of <paramref name="spec"/> writes, so that
    /// buffers allocated once for the largest batch serve smaller ones. Throws when a buffer is too small.
    /// </summary>
    public RnnOutputBuffers Slice(RnnSpec spec, int seqLen, int batch)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (y, hidden, cell) = Sizes(spec, seqLen, batch);
        if (Output.Length < y)
            throw new ArgumentException($"output holds {Output.Length} elements; a ({seqLen}, {batch}) batch needs {y}.", "output");
        if (Hidden.Length < hidden)
            throw new ArgumentException($"hidden holds {Hidden.Length} elements; a batch of {batch} needs {hidden}.", "hidden");
        if (!Cell.IsEmpty && Cell.Length < cell)
            throw new ArgumentException($"cell holds {Cell.Length} elements; a batch of {batch} needs {cell}.", "cell");
        return new RnnOutputBuffers(Output[..y], Hidden[..hidden], Cell.IsEmpty ? default : Cell[..cell]);
    }

    /// <summary>Copies a result of the same batch into these buffers (c_n only when <see cref="Cell"/> is given).</summary>
    public void CopyFrom(RnnForwardResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        result.Output.Data.CopyTo(Output);
        result.Hidden.Data.CopyTo(Hidden);
        if (!Cell.IsEmpty) result.Cell!.Data.CopyTo(Cell);
    }

    private static (int Output, int Hidden, int Cell) Sizes(RnnSpec spec, int seqLen, int batch)
    {
        if (seqLen < 1 || batch < 1)
            throw new ArgumentOutOfRangeException(nameof(seqLen), $"seqLen and batch must be at least 1; got ({seqLen}, {batch}).");
        long y = (long)seqLen * batch * spec.OutputSize;
        long rows = (long)spec.NumLayers * spec.Directions * batch;
        long hidden = rows * spec.HiddenStateSize, cell = rows * spec.CellStateSize;
        if (y > Array.MaxLength || hidden > Array.MaxLength || cell > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(batch), $"A ({seqLen}, {batch}) batch of {spec} is too large for one buffer.");
        return ((int)y, (int)hidden, (int)cell);
    }
}
