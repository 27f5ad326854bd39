using RnnNative.Managed;
using RnnNative.Models;
using RnnNative.Training;
using static RnnNative.Tests.Training.FiniteDifferences;

namespace RnnNative.Tests.Training;

/// <summary>
/// Finite differences against every new layer's backward pass. Each checked scalar is L = Σ out ⊙ W with a fixed random W,
/// so dL/dout = W is the gradient fed back.
/// </summary>
public class LayerGradientCheckTests
{
    [Test]
    public void Linear_WeightBiasAndInput()
    {
        var rng = new Random(3);
        var fc = new Linear(5, 4, seed: 11);
        var x = Random(rng, 3, 5);
        var w = Random(rng, 3, 4);
        double Loss() => Dot(fc.Forward(x), w);
        var dx = fc.Backward(x, w);
        Check("dW", Loss, fc.Weight.Value, fc.Weight.Gradient, 1e-2, 1e-4);
        Check("db", Loss, fc.Bias!.Value, fc.Bias.Gradient, 1e-2, 1e-4);
        Check("dx", Loss, x, dx, 1e-2, 1e-4);
    }

    [Test]
    public void Embedding_RepeatedIdsAccumulate()
    {
        var rng = new Random(4);
        var emb = new Embedding(6, 3, seed: 5);
        int[] ids = [2, 0, 2, 5, 2];
        var w = Random(rng, ids.Length, 3);
        double Loss() => Dot(emb.Forward(ids), w);
        emb.Backward(ids, w);
        Check("dE", Loss, emb.Weight.Value, emb.Weight.Gradient, 1e-2, 1e-4);
        Assert.That(emb.Weight.Gradient.Span.ToArray().Skip(3).Take(3), Is.All.EqualTo(0f), "token 1 was never looked up");
    }

    [Test]
    public void Dropout_MaskScalesValueAndGradientAlike()
    {
        var rng = new Random(6);
        var mask = new Dropout(0.5, seed: 9).NextMask(12);
        Assert.That(mask, Is.All.EqualTo(0f).Or.EqualTo(2f), "kept elements are scaled by 1/(1-p)");
        Assert.That(mask.Count(m => m == 0f), Is.InRange(1, 11), "a 12-element mask at p=0.5 drops some and keeps some");
        var x = Random(rng, 3, 4);
        var w = Random(rng, 3, 4);
        double Loss() => Dot(Dropout.Apply(x, mask), w);
        Check("dx", Loss, x, Dropout.Apply(w, mask), 1e-2, 1e-4);
    }

    [Test]
    public void SoftmaxLogSoftmaxSigmoid_Backward()
    {
        var rng = new Random(7);
        var x = Random(rng, 3, 5);
        var w = Random(rng, 3, 5);
        Check("softmax", () => Dot(Activations.Softmax(x), w), x, Activations.SoftmaxBackward(Activations.Softmax(x), w), 1e-3, 1e-3);
        Check("log_softmax", () => Dot(Activations.LogSoftmax(x), w), x, Activations.LogSoftmaxBackward(Activations.LogSoftmax(x), w), 1e-3, 1e-3);
        Check("sigmoid", () => Dot(Activations.Sigmoid(x), w), x, Activations.SigmoidBackward(Activations.Sigmoid(x), w), 1e-3, 1e-3);
    }

    [Test]
    public void Activations_KnownValues()
    {
        var x = RnnTensors.Create([0f, (float)Math.Log(3), 1000f, 1000f], 2, 2);
        Assert.That(Activations.Softmax(x).Span.ToArray(), Is.EqualTo(new[] { 0.25f, 0.75f, 0.5f, 0.5f }).Within(1e-6));
        Assert.That(Activations.LogSoftmax(x).Span.ToArray(), Is.EqualTo(new[] { Math.Log(0.25), Math.Log(0.75), Math.Log(0.5), Math.Log(0.5) }).Within(1e-5));
        Assert.That(Activations.Sigmoid(RnnTensors.Create([0f, 2f], 2)).Span.ToArray(), Is.EqualTo(new[] { 0.5, 1 / (1 + Math.Exp(-2)) }).Within(1e-6));
    }

    /// <summary>
    /// A stacked LSTM with dropout runs as one executor per layer with masks between them; its gradients (parameters,
    /// input, h0, c0) must still be exact. Each loss evaluation rebuilds the layer from the same seed so it draws the same mask.
    /// </summary>
    [TestCase(RnnCellKind.Lstm, true)]
    [TestCase(RnnCellKind.Gru, false)]
    [TestCase(RnnCellKind.Lstm, true, 3)]
    public void RecurrentLayer_WithDropoutBetweenLayers(RnnCellKind cell, bool bidirectional, int projection = 0)
    {
        var spec = new RnnSpec(cell, 3, 4, numLayers: 2, bidirectional, projectionSize: projection);
        int width = spec.HiddenStateSize;
        var rng = new Random(8);
        int rows = spec.NumLayers * spec.Directions;
        int[] lengths = [4, 2, 3];
        var x = Random(rng, 4, 3, 3);
        var h0 = Random(rng, rows, 3, width);
        var c0 = cell == RnnCellKind.Lstm ? Random(rng, rows, 3, 4) : null;
        var dy = Random(rng, 4, 3, spec.OutputSize);
        var dh = Random(rng, rows, 3, width);
        var values = new RecurrentLayer(spec, ManagedBackend.Instance, seed: 21, dropout: 0.4).Parameters.Select(p => p.Value).ToList();

        double Loss()
        {
            using var layer = new RecurrentLayer(spec, ManagedBackend.Instance, seed: 21, dropout: 0.4);
            for (int i = 0; i < values.Count; i++) values[i].Span.CopyTo(layer.Parameters[i].Value.Span);
            layer.PushParameters();
            using var pass = layer.Forward(x, lengths, new RecurrentState(h0, c0), training: true);
            return Dot(pass.Output, dy) + Dot(pass.Final.Hidden, dh);
        }

        using var layer = new RecurrentLayer(spec, ManagedBackend.Instance, seed: 21, dropout: 0.4);
        var pass = layer.Forward(x, lengths, new RecurrentState(h0, c0), training: true);
        var (dx, initial) = layer.Backward(pass, dy, dh, null);
        Assert.That(layer.Parameters.Select(p => p.Name), Is.EqualTo(RnnParameterInfo.Enumerate(spec).Select(i => "rnn." + i.Name)));
        for (int i = 0; i < values.Count; i++)
            Check(layer.Parameters[i].Name, Loss, values[i], layer.Parameters[i].Gradient, 1e-2, 2e-3, samples: 6, seed: i);
        Check("dx", Loss, x, dx, 1e-2, 2e-3);
        Check("dh0", Loss, h0, initial.Hidden, 1e-2, 2e-3);
        if (c0 is not null) Check("dc0", Loss, c0, initial.Cell!, 1e-2, 2e-3);
    }

    [Test]
    public void RecurrentLayer_DropoutIsOffInInference()
    {
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 4, numLayers: 2);
        var x = Random(new Random(9), 5, 2, 3);
        using var withDropout = new RecurrentLayer(spec, ManagedBackend.Instance, seed: 4, dropout: 0.5);
        using var a = withDropout.Forward(x, null, null, training: false);
        using var b = withDropout.Forward(x, null, null, training: false);
        using var c = withDropout.Forward(x, null, null, training: true);
        Assert.That(a.Output.Span.ToArray(), Is.EqualTo(b.Output.Span.ToArray()), "inference is deterministic");
        Assert.That(c.Output.Span.ToArray(), Is.Not.EqualTo(a.Output.Span.ToArray()), "training applies a dropout mask between the layers");
    }
}
