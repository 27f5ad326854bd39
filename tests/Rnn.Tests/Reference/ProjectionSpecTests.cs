using RnnNative.Managed;

namespace RnnNative.Tests.Reference;

/// <summary>
/// RnnSpec's projection (PyTorch's proj_size): what it accepts, the shapes, names and FLOPs it derives, and the batch
/// validation of h0 (L·D, N, P) and c0 (L·D, N, H).
/// </summary>
public class ProjectionSpecTests
{
    private static readonly RnnSpec Lstmp = new(RnnCellKind.Lstm, 3, 6, 2, bidirectional: true, projectionSize: 4);

    [TestCase(RnnCellKind.Gru, 6, 2, "Only an LSTM")]
    [TestCase(RnnCellKind.RnnTanh, 6, 2, "Only an LSTM")]
    [TestCase(RnnCellKind.Lstm, 6, 6, "smaller than hidden_size")]
    [TestCase(RnnCellKind.Lstm, 6, 7, "smaller than hidden_size")]
    [TestCase(RnnCellKind.Lstm, 6, -1, "0 (none) or positive")]
    public void InvalidProjectionsAreRefused(RnnCellKind cell, int hidden, int proj, string message)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RnnSpec(cell, 3, hidden, projectionSize: proj))!;
        Assert.That(e.ParamName, Is.EqualTo("projectionSize"));
        Assert.That(e.Message, Does.Contain(message));
    }

    [Test]
    public void ShapesNamesAndSizesFollowPyTorch()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Lstmp.HiddenStateSize, Is.EqualTo(4));
            Assert.That(Lstmp.CellStateSize, Is.EqualTo(6));
            Assert.That(Lstmp.OutputSize, Is.EqualTo(8));
            Assert.That(Lstmp.LayerInputSize(1), Is.EqualTo(8));
            var infos = RnnParameterInfo.Enumerate(Lstmp);
            // PyTorch's state_dict order for proj_size > 0: ih, hh, b_ih, b_hh, hr per layer and direction.
            Assert.That(infos.Take(5).Select(i => i.Name), Is.EqualTo(new[] { "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0" }));
            Assert.That(infos.Select(i => (i.Name, string.Join("x", i.Shape))).Where(p => p.Name.EndsWith("l1_reverse", StringComparison.Ordinal)),
                Is.EqualTo(new[] { ("weight_ih_l1_reverse", "24x8"), ("weight_hh_l1_reverse", "24x4"), ("bias_ih_l1_reverse", "24"), ("bias_hh_l1_reverse", "24"), ("weight_hr_l1_reverse", "4x6") }));
            // PyTorch 1.13: sum(p.numel() for p in nn.LSTM(3, 6, 2, bidirectional=True, proj_size=4).parameters()) = 1200.
            Assert.That(infos.Sum(i => i.ElementCount), Is.EqualTo(1200));
            Assert.That(Lstmp.ToString(), Does.Contain("proj=4"));
            Assert.That(Lstmp, Is.Not.EqualTo(new RnnSpec(RnnCellKind.Lstm, 3, 6, 2, bidirectional: true)));
        });
    }

    [Test]
    public void FlopsCountTheNarrowRecurrenceAndTheProjection()
    {
        // Per step and sequence: layer 0 2·24·(3 + 4) + 2·4·6, layer 1 2·24·(8 + 4) + 2·4·6; both directions; N·T = 10.
        double expected = 2 * ((2.0 * 24 * 7 + 48) + (2.0 * 24 * 12 + 48)) * 10;
        Assert.That(Lstmp.ForwardFlops(2, 5), Is.EqualTo(expected));
    }

    [Test]
    public void InitialStatesHaveTheirOwnWidths()
    {
        using var exec = ManagedBackend.Instance.CreateExecutor(RnnParameters.InitializeUniform(Lstmp, 1));
        var x = RnnTensors.Zeros(5, 2, 3);
        var wideH = Assert.Throws<ArgumentException>(() => exec.Forward(new RnnInput(x, null, RnnTensors.Zeros(4, 2, 6), RnnTensors.Zeros(4, 2, 6))))!;
        Assert.That(wideH.ParamName, Is.EqualTo("h0"));
        Assert.That(wideH.Message, Does.Contain("(4, 2, 4)").And.Contain("proj_size"));
        var narrowC = Assert.Throws<ArgumentException>(() => exec.Forward(new RnnInput(x, null, RnnTensors.Zeros(4, 2, 4), RnnTensors.Zeros(4, 2, 4))))!;
        Assert.That(narrowC.ParamName, Is.EqualTo("c0"));
        Assert.That(narrowC.Message, Does.Contain("(4, 2, 6)"));
        using var ok = exec.Forward(new RnnInput(x, null, RnnTensors.Zeros(4, 2, 4), RnnTensors.Zeros(4, 2, 6)));
        Assert.That((ok.Output.Dim(2), ok.Hidden.Dim(2), ok.Cell!.Dim(2)), Is.EqualTo((8, 4, 6)));

        var (ySize, hSize, cSize) = RnnOutputBuffers.Sizes(Lstmp, 5, 2);
        Assert.That(hSize, Is.EqualTo(2 * 2 * 2 * 4), "L·D·N·P");
        Assert.That(cSize, Is.EqualTo(2 * 2 * 2 * 6), "L·D·N·H");
        float[] y = new float[ySize], hn = new float[hSize], cn = new float[cSize];
        var e = Assert.Throws<ArgumentException>(() => exec.Forward(
            new RnnInferenceRequest(new float[30], 5, 2) { InitialHidden = new float[4 * 2 * 6] }, new RnnOutputBuffers(y, hn, cn)))!;
        Assert.That(e.ParamName, Is.EqualTo("h0"));
        Assert.That(e.Message, Does.Contain("proj_size"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void CallerMemoryForwardEqualsTheTensorForward(bool batchFirst)
    {
        using var exec = ManagedBackend.Instance.CreateExecutor(RnnParameters.InitializeUniform(Lstmp, 3));
        var rng = new Random(4);
        float[] Rand(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        int[] lengths = [5, 2];
        var x = RnnTensors.Create(Rand(5 * 2 * 3), batchFirst ? [2, 5, 3] : [5, 2, 3]);
        var h0 = RnnTensors.Create(Rand(4 * 2 * 4), 4, 2, 4);
        var c0 = RnnTensors.Create(Rand(4 * 2 * 6), 4, 2, 6);
        using var expected = exec.Forward(new RnnInput(x, lengths, h0, c0, batchFirst));

        var outputs = RnnOutputBuffers.Allocate(Lstmp, 5, 2);
        exec.Forward(new RnnInferenceRequest(x.Span, 5, 2, batchFirst) { Lengths = lengths, InitialHidden = h0.Span, InitialCell = c0.Span }, outputs);
        Assert.That(outputs.Output.ToArray(), Is.EqualTo(expected.Output.Span.ToArray()), "y");
        Assert.That(outputs.Hidden.ToArray(), Is.EqualTo(expected.Hidden.Span.ToArray()), "h_n");
        Assert.That(outputs.Cell.ToArray(), Is.EqualTo(expected.Cell!.Span.ToArray()), "c_n");
    }
}
