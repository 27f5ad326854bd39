namespace RnnNative.Managed.Cells;

/// <summary>
/// PyTorch nn.LSTM, gates i, f, g, o: c = f·c₋₁ + i·g, h = o·tanh(c), with i, f, o = σ(·) and g = tanh(·) of gi + gh.
/// </summary>
internal sealed class LstmCell : ReferenceCell
{
    public static readonly LstmCell Instance = new();

    public override void Forward(ReadOnlySpan<double> gi, ReadOnlySpan<double> gh, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        Span<double> h, Span<double> c)
    {
        int hs = h.Length;
        for (int k = 0; k < hs; k++)
        {
            double i = Sigmoid(gi[k] + gh[k]);
            double f = Sigmoid(gi[hs + k] + gh[hs + k]);
            double g = Math.Tanh(gi[2 * hs + k] + gh[2 * hs + k]);
            double o = Sigmoid(gi[3 * hs + k] + gh[3 * hs + k]);
            c[k] = f * cPrev[k] + i * g;
            h[k] = o * Math.Tanh(c[k]);
        }
    }

    public override void Backward(ReadOnlySpan<double> gi, ReadOnlySpan<double> gh, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        ReadOnlySpan<double> dh, ReadOnlySpan<double> dc, Span<double> dgi, Span<double> dgh, Span<double> dhPrev, Span<double> dcPrev)
    {
        int hs = dh.Length;
        // h₋₁ reaches this step only through W_hh (the layer's part); dhPrev may be narrower than dh under a projection.
        dhPrev.Clear();
        for (int k = 0; k < hs; k++)
        {
            double i = Sigmoid(gi[k] + gh[k]);
            double f = Sigmoid(gi[hs + k] + gh[hs + k]);
            double g = Math.Tanh(gi[2 * hs + k] + gh[2 * hs + k]);
            double o = Sigmoid(gi[3 * hs + k] + gh[3 * hs + k]);
            double c = f * cPrev[k] + i * g;
            double tc = Math.Tanh(c);

            double dcTotal = dc[k] + dh[k] * o * (1 - tc * tc);
            double di = dcTotal * g * i * (1 - i);
            double df = dcTotal * cPrev[k] * f * (1 - f);
            double dg = dcTotal * i * (1 - g * g);
            double dout = dh[k] * tc * o * (1 - o);

            dgi[k] = dgh[k] = di;
            dgi[hs + k] = dgh[hs + k] = df;
            dgi[2 * hs + k] = dgh[2 * hs + k] = dg;
            dgi[3 * hs + k] = dgh[3 * hs + k] = dout;
            dcPrev[k] = dcTotal * f;
        }
    }
}
