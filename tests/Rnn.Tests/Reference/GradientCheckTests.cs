using RnnNative.Managed;

namespace RnnNative.Tests.Reference;

/// <summary>
/// Central finite differences, in double, against the reference's backpropagation through time for every cell,
/// 1–3 layers, both directions, variable lengths and with/without initial states, and LSTMs with projections
/// (proj_size): dx, dh0, dc0 and every parameter, weight_hr included.
/// The checked scalar is L = sum(y·dy) + sum(h_n·dh_n) + sum(c_n·dc_n) with random dy, dh_n, dc_n.
/// </summary>
public class GradientCheckTests
{
    private const double Step = 1e-6;
    private const double Tolerance = 1e-6;

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var cell in Enum.GetValues<RnnCellKind>())
        foreach (int layers in new[] { 1, 2, 3 })
        foreach (bool bidir in new[] { false, true })
        {
            bool withStates = (layers + (bidir ? 1 : 0)) % 2 == 0;
            yield return new TestCaseData(cell, layers, bidir, withStates, layers != 2)
                .SetName($"GradCheck_{cell}_L{layers}_{(bidir ? "bi" : "uni")}_{(withStates ? "h0" : "noh0")}");
        }
        yield return new TestCaseData(RnnCellKind.Lstm, 2, true, true, false).SetName("GradCheck_Lstm_NoBias");
        yield return new TestCaseData(RnnCellKind.Gru, 1, true, false, false).SetName("GradCheck_Gru_NoBias");
        foreach (int layers in new[] { 1, 2 })
        foreach (bool bidir in new[] { false, true })
        foreach (bool withStates in new[] { false, true })
            yield return new TestCaseData(RnnCellKind.Lstm, layers, bidir, withStates, layers == 1 || withStates, 2)
                .SetName($"GradCheck_LstmProj_L{layers}_{(bidir ? "bi" : "uni")}_{(withStates ? "h0" : "noh0")}");
    }

    [TestCaseSource(nameof(Cases))]
    public void BackwardMatchesFiniteDifferences(RnnCellKind cell, int layers, bool bidir, bool withStates, bool hasBias, int projection = 0)
    {
        const int seqLen = 5, batch = 3, input = 3, hidden = 4;
        int[] lengths = [5, 2, 4];
        var spec = new RnnSpec(cell, input, hidden, layers, bidir, hasBias, projection);
        var rng = new Random(1234 + (int)cell * 17 + layers * 5 + (bidir ? 1 : 0));
        double[] Rand(int n) => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();

        var w = new ReferenceWeights(spec);
        foreach (var info in RnnParameterInfo.Enumerate(spec))
        {
            var a = w.Array(info);
            Rand(a.Length).CopyTo(a, 0);
        }
        int stateLen = layers * spec.Directions * batch * spec.HiddenStateSize;
        int cellLen = layers * spec.Directions * batch * hidden;
        var x = Rand(seqLen * batch * input);
        var h0 = withStates ? Rand(stateLen) : null;
        var c0 = withStates && cell == RnnCellKind.Lstm ? Rand(cellLen) : null;
        var dy = Rand(seqLen * batch * spec.OutputSize);
        var dhn = Rand(stateLen);
        var dcn = cell == RnnCellKind.Lstm ? Rand(cellLen) : null;

        double Loss()
        {
            var f = ReferenceRnn.Forward(w, x, seqLen, batch, lengths, h0, c0, keepCache: false);
            double l = Dot(f.Output, dy) + Dot(f.Hidden, dhn);
            if (dcn is not null) l += Dot(f.Cell!, dcn);
            return l;
        }

        var forward = ReferenceRnn.Forward(w, x, seqLen, batch, lengths, h0, c0, keepCache: true);
        var grads = ReferenceRnn.Backward(w, forward, dy, dhn, dcn);

        CheckAgainstNumeric("dx", x, grads.Input, Loss);
        if (h0 is not null) CheckAgainstNumeric("dh0", h0, grads.InitialHidden, Loss);
        else Assert.That(grads.InitialHidden, Has.Length.EqualTo(stateLen));
        if (c0 is not null) CheckAgainstNumeric("dc0", c0, grads.InitialCell!, Loss);
        foreach (var info in RnnParameterInfo.Enumerate(spec))
            CheckAgainstNumeric(info.Name, w.Array(info), grads.Parameters.Array(info), Loss);
    }

    [Test]
    public void PaddedStepsHaveZeroOutputAndZeroInputGradient()
    {
        var spec = new RnnSpec(RnnCellKind.Gru, 2, 3, 2, bidirectional: true);
        var w = new ReferenceWeights(spec);
        var rng = new Random(7);
        foreach (var info in RnnParameterInfo.Enumerate(spec))
            for (int i = 0; i < w.Array(info).Length; i++) w.Array(info)[i] = rng.NextDouble() - 0.5;
        var x = Enumerable.Range(0, 4 * 2 * 2).Select(_ => rng.NextDouble()).ToArray();
        var f = ReferenceRnn.Forward(w, x, 4, 2, [4, 1], null, null, keepCache: true);
        var dy = Enumerable.Repeat(1.0, f.Output.Length).ToArray();
        var b = ReferenceRnn.Backward(w, f, dy, null, null);
        for (int t = 1; t < 4; t++)
        {
            Assert.That(f.Output.AsSpan((t * 2 + 1) * 6, 6).ToArray(), Is.All.EqualTo(0.0), $"y at padded step {t}");
            Assert.That(b.Input.AsSpan((t * 2 + 1) * 2, 2).ToArray(), Is.All.EqualTo(0.0), $"dx at padded step {t}");
        }
    }

    [Test]
    public void ProjectionShapesFollowPyTorch()
    {
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 5, 2, bidirectional: true, projectionSize: 2);
        var w = new ReferenceWeights(spec);
        var rng = new Random(11);
        foreach (var info in RnnParameterInfo.Enumerate(spec))
            for (int i = 0; i < w.Array(info).Length; i++) w.Array(info)[i] = rng.NextDouble() - 0.5;
        var x = Enumerable.Range(0, 4 * 2 * 3).Select(_ => rng.NextDouble()).ToArray();
        var f = ReferenceRnn.Forward(w, x, 4, 2, [4, 3], null, null, keepCache: false);
        Assert.That(f.Output, Has.Length.EqualTo(4 * 2 * 2 * 2), "y is (T, N, D·P)");
        Assert.That(f.Hidden, Has.Length.EqualTo(2 * 2 * 2 * 2), "h_n is (L·D, N, P)");
        Assert.That(f.Cell, Has.Length.EqualTo(2 * 2 * 2 * 5), "c_n is (L·D, N, H)");
        // The last layer's forward h_n of sequence 0 is its output at its last step, forward half.
        Assert.That(f.Hidden.AsSpan((2 * 2 + 0) * 2, 2).ToArray(), Is.EqualTo(f.Output.AsSpan((3 * 2 + 0) * 4, 2).ToArray()));
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();

    private static void CheckAgainstNumeric(string what, double[] values, double[] analytic, Func<double> loss)
    {
        Assert.That(analytic, Has.Length.EqualTo(values.Length), what);
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < values.Length; i++)
        {
            double saved = values[i];
            values[i] = saved + Step;
            double up = loss();
            values[i] = saved - Step;
            double down = loss();
            values[i] = saved;
            double numeric = (up - down) / (2 * Step);
            double err = Math.Abs(numeric - analytic[i]) / Math.Max(1.0, Math.Abs(numeric));
            if (err > worst) { worst = err; worstAt = i; }
        }
        Assert.That(worst, Is.LessThan(Tolerance), $"{what}: worst relative error {worst:E2} at element {worstAt}");
    }
}
