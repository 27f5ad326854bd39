namespace RnnNative.Managed.Cells;

/// <summary>
/// The elementwise part of one time step of a cell, in double. The layer computes the two affine pre-activations
/// gi = W_ih·x + b_ih and gh = W_hh·h + b_hh (G·H each); the cell turns them into the new state and, backwards,
/// turns the state gradients into gradients of gi and gh. Activations are recomputed in backward for clarity.
/// </summary>
internal abstract class ReferenceCell
{
    public static ReferenceCell For(RnnCellKind kind) => kind switch
    {
        RnnCellKind.RnnTanh => VanillaRnnCell.Tanh,
        RnnCellKind.RnnRelu => VanillaRnnCell.Relu,
        RnnCellKind.Lstm => LstmCell.Instance,
        RnnCellKind.Gru => GruCell.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>h (and c for LSTM) from gi, gh and the previous state.</summary>
    public abstract void Forward(ReadOnlySpan<double> gi, ReadOnlySpan<double> gh, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        Span<double> h, Span<double> c);

    /// <summary>
    /// Given dh and dc at this step's output, writes dgi, dgh, the elementwise part of dhPrev (the W_hh part is the
    /// layer's) and dcPrev.
    /// </summary>
    public abstract void Backward(ReadOnlySpan<double> gi, ReadOnlySpan<double> gh, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        ReadOnlySpan<double> dh, ReadOnlySpan<double> dc, Span<double> dgi, Span<double> dgh, Span<double> dhPrev, Span<double> dcPrev);

    protected static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));
}
