using System.Numerics.Tensors;

namespace RnnNative;

/// <summary>
/// Caller-owned memory that a forward pass writes into, reusable across calls: y (T, N, D·S) in the request's layout,
/// zeros at padded steps; h_n (L·D, N, S) and c_n (L·D, N, H), S being proj_size under a projection, else H.
/// <see cref="Cell"/> may be empty for an LSTM whose c_n is not wanted, and must be empty for the other cells. Each
/// buffer holds exactly the elements of its shape; slice a larger buffer with <see cref="Slice"/> to serve batches of
/// several sizes from one allocation.
/// </summary>
public readonly ref struct RnnOutputBuffers
{
    public RnnOutputBuffers(Span<float> output, Span<float> hidden, Span<float> cell = default)
    {
        Output = output;
        Hidden = hidden;
        Cell = cell;
    }

    /// <summary>Buffers over dense tensors (their element counts are checked by the call).</summary>
    public RnnOutputBuffers(TensorSpan<float> output, TensorSpan<float> hidden, TensorSpan<float> cell = default)
        : this(output.Span, hidden.Span, cell.Span) { }

    /// <summary>New buffers of the exact sizes a (seqLen, batch) forward pass of <paramref name="spec"/> writes.</summary>
    public static RnnOutputBuffers Allocate(RnnSpec spec, int seqLen, int batch)
    {
        var (y, hidden, cell) = Sizes(spec, seqLen, batch);
        return new RnnOutputBuffers(new float[y], new float[hidden], cell > 0 ? new float[cell] : default);
    }

    public Span<float> Output { get; }
    public Span<float> Hidden { get; }
    public Span<float> Cell { get; }

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

    /// <summary>The element counts of y, h_n and c_n for a (seqLen, batch) forward pass of <paramref name="spec"/>.</summary>
    public static (int Output, int Hidden, int Cell) Sizes(RnnSpec spec, int seqLen, int batch)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (seqLen < 1 || batch < 1)
            throw new ArgumentOutOfRangeException(nameof(seqLen), $"seqLen and batch must be at least 1; got ({seqLen}, {batch}).");
        long y = (long)seqLen * batch * spec.OutputSize;
        long rows = (long)spec.NumLayers * spec.Directions * batch;
        long hidden = rows * spec.HiddenStateSize, cell = rows * spec.CellStateSize;
        if (y > Array.MaxLength || hidden > Array.MaxLength || cell > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(batch), $"A ({seqLen}, {batch}) batch of {spec} is too large for one buffer.");
        return ((int)y, (int)hidden, (int)(spec.Cell.HasCellState() ? cell : 0));
    }
}
