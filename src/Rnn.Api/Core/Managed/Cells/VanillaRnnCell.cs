namespace RnnNative.Managed.Cells;

/// <summary>h = act(gi + gh), act = tanh or ReLU (PyTorch nn.RNN nonlinearity).</summary>
internal sealed class VanillaRnnCell : ReferenceCell
{
    public static readonly VanillaRnnCell Tanh = new(relu: false);
    public static readonly VanillaRnnCell Relu = new(relu: true);

    private readonly bool _relu;

    private VanillaRnnCell(bool relu) => _relu = relu;

    public override void Forward(ReadOnlySpan<double> gi, ReadOnlySpan<double> gh, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        Span<double> h, Span<double> c)
    {
        for (int k = 0; k < h.Length; k++)
        {
            double pre = gi[k] + gh[k];
            h[k] = _relu ? Math.Max(pre, 0.0) : Math.Tanh(pre);
        }
    }

    public override void Backward(ReadOnlySpan<double> gi, ReadOnlySpan<double> gh, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        ReadOnlySpan<double> dh, ReadOnlySpan<double> dc, Span<double> dgi, Span<double> dgh, Span<double> dhPrev, Span<double> dcPrev)
    {
        for (int k = 0; k < dh.Length; k++)
        {
            double pre = gi[k] + gh[k];
            // PyTorch's ReLU passes gradient only where the input is strictly positive.
            double d = _relu ? (pre > 0 ? dh[k] : 0.0) : dh[k] * (1 - Math.Tanh(pre) * Math.Tanh(pre));
            dgi[k] = d;
            dgh[k] = d;
            dhPrev[k] = 0;
        }
    }
}
