using RnnNative.Managed;
using System.Numerics.Tensors;

namespace RnnNative.Tests.Reference;

/// <summary>The worked example of the lecture notes: a 3-unit RNN over the one-hot alphabet d, o, g, s.</summary>
public class LectureExampleTests
{
    private static readonly float[] Wh = [0.1f, 0.5f, 0.1f, 0.5f, 0.9f, 0.3f, 0.3f, 0.2f, 0.1f];
    private static readonly float[] Wx = [0.6f, 0.8f, 0.4f, 0.8f, 0.2f, 0.2f, 0.8f, 0.7f, 0.9f, 0.8f, 0.1f, 0.2f];
    private static readonly double[,] Wy = { { 0.9, 0.8, 0.3 }, { 0.2, 0.3, 0.4 }, { 0.6, 0.9, 0.1 }, { 0.5, 0.0, 0.3 } };

    [Test]
    public void FirstStepOnLetterD_MatchesTheNotes()
    {
        var spec = new RnnSpec(RnnCellKind.RnnTanh, inputSize: 4, hiddenSize: 3, hasBias: false);
        var p = RnnParameters.FromTensors(spec, new Dictionary<string, Tensor<float>>
        {
            ["weight_ih_l0"] = RnnTensors.Create((float[])Wx.Clone(), 3, 4),
            ["weight_hh_l0"] = RnnTensors.Create((float[])Wh.Clone(), 3, 3),
        });
        using var exec = ManagedBackend.Instance.CreateExecutor(p);
        var x = RnnTensors.Create([1f, 0f, 0f, 0f], 1, 1, 4); // "d"
        using var result = exec.Forward(new RnnInput(x));

        var h1 = result.Output.Span.ToArray();
        // a1 = W_x·d = first column of W_x = [0.6, 0.2, 0.9]; h1 = tanh(a1) ≈ [0.54, 0.20, 0.72].
        Assert.That(h1[0], Is.EqualTo(Math.Tanh(0.6)).Within(1e-6));
        Assert.That(h1[1], Is.EqualTo(Math.Tanh(0.2)).Within(1e-6));
        Assert.That(h1[2], Is.EqualTo(Math.Tanh(0.9)).Within(1e-6));
        Assert.That(h1.Select(v => Math.Round(v, 2)), Is.EqualTo(new[] { 0.54, 0.20, 0.72 }));

        var logits = new double[4];
        for (int i = 0; i < 4; i++)
            for (int k = 0; k < 3; k++) logits[i] += Wy[i, k] * h1[k];
        double sum = logits.Sum(Math.Exp);
        var softmax = logits.Select(l => Math.Round(Math.Exp(l) / sum, 2)).ToArray();
        Assert.That(softmax, Is.EqualTo(new[] { 0.32, 0.21, 0.24, 0.22 }));
        Assert.That(result.Hidden.Span.ToArray(), Is.EqualTo(h1), "h_n of a one-step sequence is its only output");
    }
}
