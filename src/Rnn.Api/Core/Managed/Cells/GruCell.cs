namespace RnnNative.Managed.Cells;

/// <summary>
/// PyTorch nn.GRU, gates r, z, n: r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r·gh_n),
/// h = (1 − z)·n + z·h₋₁. The reset gate multiplies W_hn·h + b_hn ("linear before reset").
/// </summary>
internal sealed class GruCell : ReferenceCell
{
    public static readonly GruCell Instance = new();

    public override void Forward(ReadOnlySpan<double> gi, ReadOnlySpan<double> gh, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        Span<double> h, Span<double> c)
    {
        int hs = h.Length;
        for (int k = 0; k < hs; k++)
        {
            double r = Sigmoid(gi[k] + gh[k]);
            double z = Sigmoid(gi[hs + k] + gh[hs + k]);
            double n = Math.Tanh(gi[2 * hs + k] + r * gh[2 * hs + k]);
            h[k] = (1 - z) * n + z * hPrev[k];
        }
    }

    public override void Backward(ReadOnlySpan<double> gi, ReadOnlySpan<double> gh, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        ReadOnlySpan<double> dh, ReadOnlySpan<double> dc, Span<double> dgi, Span<double> dgh, Span<double> dhPrev, Span<double> dcPrev)
    {
        int hs = dh.Length;
        for (int k = 0; k < hs; k++)
        {
            double r = Sigmoid(gi[k] + gh[k]);
            double z = Sigmoid(gi[hs + k] + gh[hs + k]);
            double n = Math.Tanh(gi[2 * hs + k] + r * gh[2 * hs + k]);

            double dnPre = dh[k] * (1 - z) * (1 - n * n);
            double dzPre = dh[k] * (hPrev[k] - n) * z * (1 - z);
            double drPre = dnPre * gh[2 * hs + k] * r * (1 - r);

            dgi[k] = dgh[k] = drPre;
            dgi[hs + k] = dgh[hs + k] = dzPre;
            dgi[2 * hs + k] = dnPre;
            dgh[2 * hs + k] = dnPre * r;
            dhPrev[k] = dh[k] * z;
        }
    }
}
