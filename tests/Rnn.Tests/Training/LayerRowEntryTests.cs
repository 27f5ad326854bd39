using RnnNative.Models;
using RnnNative.Training;

namespace RnnNative.Tests.Training;

/// <summary>
/// The per-row entries inference runs on (Linear.Apply, ITokenInput.WriteRow, the row softmax, the last-layer state
/// pick) give what the batch entries the models train with give, and layers built around loaded tensors use them in place.
/// </summary>
public class LayerRowEntryTests
{
    [Test]
    public void LinearApply_IsForwardRowByRow_AndALoadedLinearReadsItsTensorsInPlace()
    {
        var trained = new Linear(5, 3, seed: 4);
        var x = RnnTensors.Create([.. Enumerable.Range(0, 10).Select(i => (float)Math.Sin(i))], 2, 5);
        var y = trained.Forward(x);
        var row = new float[3];
        for (int r = 0; r < 2; r++)
        {
            trained.Apply(x.Span.Slice(r * 5, 5), row);
            Assert.That(row, Is.EqualTo(y.Span.Slice(r * 3, 3).ToArray()));
        }

        var weight = trained.Weight.Value.Clone();
        var loaded = new Linear(new Parameter("head.weight", weight), null);
        weight.Span.Clear();
        loaded.Apply(x.Span[..5], row);
        Assert.That(row, Is.EqualTo(new float[3]), "the loaded layer must read the tensor it was given, not a copy");
        Assert.That(loaded.Parameters.Select(p => p.Name), Is.EqualTo(new[] { "head.weight" }));
    }

    [Test]
    public void WriteRow_IsForwardRowByRow_ForEmbeddingAndOneHot()
    {
        int[] ids = [2, 0, 2, 1];
        foreach (ITokenInput input in new ITokenInput[] { new Embedding(3, 4, seed: 9), new OneHotInput(3) })
        {
            var rows = input.Forward(ids);
            var row = new float[input.OutputSize];
            for (int i = 0; i < ids.Length; i++)
            {
                Array.Fill(row, 7f);
                input.WriteRow(ids[i], row);
                Assert.That(row, Is.EqualTo(rows.Span.Slice(i * input.OutputSize, input.OutputSize).ToArray()), input.GetType().Name);
            }
        }
    }

    [Test]
    public void RowSoftmax_MatchesTheDoubleSoftmaxTheLossUses_AndStaysFiniteForLargeLogits()
    {
        float[] logits = [100f, 101.5f, -3f, 100f];
        var p = new float[4];
        var exact = new double[4];
        Activations.Softmax(logits, p);
        double logSum = Activations.Softmax(logits, exact);
        Assert.That(p, Is.EqualTo(exact.Select(v => (float)v).ToArray()));
        Assert.That(logSum, Is.EqualTo(Math.Log(2 * Math.Exp(-1.5) + 1 + Math.Exp(-104.5))).Within(1e-12), "log Σ exp(x − max), max = 101.5");
        Assert.That(Activations.Softmax(RnnTensors.Create(logits, 1, 4)).Span.ToArray(), Is.EqualTo(p));
    }

    [Test]
    public void LastLayerState_PicksTheLastLayersRowsDirectionsSideBySide_AndScatterPutsThemBack()
    {
        var spec = new RnnSpec(RnnCellKind.Gru, 3, 2, 2, true);
        int batch = 3, h = 2;
        // h_n (L·D = 4, N = 3, H = 2) with value = 100·row + 10·sequence + unit.
        var hidden = new float[4 * batch * h];
        for (int r = 0; r < 4; r++)
            for (int n = 0; n < batch; n++)
                for (int u = 0; u < h; u++) hidden[(r * batch + n) * h + u] = 100 * r + 10 * n + u;
        var features = new float[spec.OutputSize];
        LastLayerState.Gather(spec, hidden, batch, 1, features);
        Assert.That(features, Is.EqualTo(new float[] { 210, 211, 310, 311 }));

        var back = new float[hidden.Length];
        LastLayerState.Scatter(spec, features, batch, 1, back);
        for (int i = 0; i < back.Length; i++) Assert.That(back[i], Is.EqualTo(i is 14 or 15 or 20 or 21 ? hidden[i] : 0f), $"element {i}");
    }

    [Test]
    public void LossGradient_UsesTheSharedSoftmax()
    {
        var logits = RnnTensors.Create([0.5f, -1f, 2f, 0f, 0f, 0f], 2, 3);
        int[] targets = [2, 0];
        var loss = SoftmaxCrossEntropy.Compute(logits, targets);
        float[] max = [2f, 0f];
        var p = new double[3];
        double expected = 0;
        for (int r = 0; r < 2; r++)
        {
            var x = logits.Span.Slice(r * 3, 3);
            double logSum = Activations.Softmax(x, p);
            expected += logSum - (x[targets[r]] - max[r]);
            for (int c = 0; c < 3; c++)
                Assert.That(loss.Gradient.Span[r * 3 + c], Is.EqualTo((float)((p[c] - (c == targets[r] ? 1 : 0)) / 2)).Within(1e-7));
        }
        Assert.That(loss.Value, Is.EqualTo(expected / 2).Within(1e-12));
    }
}
