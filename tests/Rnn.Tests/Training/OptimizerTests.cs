using RnnNative.Models;
using RnnNative.Training;

namespace RnnNative.Tests.Training;

/// <summary>Optimizers, clipping, schedules, sampling and stream chunking against values worked out by hand.</summary>
public class OptimizerTests
{
    private static Parameter Param(float[] value, float[] gradient)
    {
        var p = new Parameter("w", RnnTensors.Create(value, value.Length));
        gradient.CopyTo(p.Gradient.Span);
        return p;
    }

    [Test]
    public void SgdWithMomentum_FollowsPyTorch()
    {
        var p = Param([1f], [2f]);
        var sgd = new Sgd(0.1, momentum: 0.5);
        sgd.Step([p]); // v = 2, w = 1 − 0.2
        Assert.That(p.Value.Span[0], Is.EqualTo(0.8f).Within(1e-7));
        sgd.Step([p]); // v = 0.5·2 + 2 = 3, w = 0.8 − 0.3
        Assert.That(p.Value.Span[0], Is.EqualTo(0.5f).Within(1e-7));
    }

    [Test]
    public void Adam_FirstStepsAreBiasCorrected()
    {
        var p = Param([1f, -1f], [0.5f, -4f]);
        var adam = new Adam(0.01);
        adam.Step([p]); // m̂ = g, v̂ = g², so each weight moves by lr·sign(g) (up to ε)
        Assert.That(p.Value.Span[0], Is.EqualTo(0.99f).Within(1e-6));
        Assert.That(p.Value.Span[1], Is.EqualTo(-0.99f).Within(1e-6));
        p.Gradient.Span[0] = 0; p.Gradient.Span[1] = 0;
        // Second step, g = 0: m = 0.09·g₁, m̂ = m/0.19; v = 0.000999·g₁², v̂ = v/0.001999.
        adam.Step([p]);
        double expected = 0.99 - 0.01 * (0.09 * 0.5 / 0.19) / (Math.Sqrt(0.000999 * 0.25 / 0.001999) + 1e-8);
        Assert.That(p.Value.Span[0], Is.EqualTo((float)expected).Within(1e-6));
    }

    [Test]
    public void ScheduleSetsTheLearningRateOfEachStep()
    {
        var p = Param([0f], [1f]);
        var sgd = new Sgd(1.0) { Schedule = LearningRateSchedules.StepDecay(1.0, every: 2, gamma: 0.1) };
        double[] seen = new double[4];
        for (int i = 0; i < 4; i++)
        {
            seen[i] = sgd.CurrentLearningRate;
            sgd.Step([p]);
        }
        Assert.That(seen, Is.EqualTo(new[] { 1.0, 1.0, 0.1, 0.1 }).Within(1e-12));
        Assert.That(p.Value.Span[0], Is.EqualTo(-2.2f).Within(1e-6));
    }

    [Test]
    public void ClipByGlobalNorm_ScalesAllGradientsTogether()
    {
        var a = Param([0f], [3f]);
        var b = Param([0f], [4f]);
        double norm = GradientClipping.ClipByGlobalNorm([a, b], 1.0);
        Assert.That(norm, Is.EqualTo(5.0).Within(1e-12));
        Assert.That(a.Gradient.Span[0], Is.EqualTo(0.6f).Within(1e-6));
        Assert.That(b.Gradient.Span[0], Is.EqualTo(0.8f).Within(1e-6));
        Assert.That(GradientClipping.ClipByGlobalNorm([a, b], 10.0), Is.EqualTo(1.0).Within(1e-6), "below the limit nothing changes");
        Assert.That(a.Gradient.Span[0], Is.EqualTo(0.6f).Within(1e-6));
    }

    [Test]
    public void ClipByValue_ClampsEachElement()
    {
        var p = Param([0f, 0f, 0f], [-3f, 0.25f, 2f]);
        GradientClipping.ClipByValue([p], 0.5);
        Assert.That(p.Gradient.Span.ToArray(), Is.EqualTo(new[] { -0.5f, 0.25f, 0.5f }));
    }

    [Test]
    public void Sampling_GreedyTakesTheArgMaxAndTopOneIsGreedy()
    {
        float[] logits = [0.1f, 2.0f, 1.9f, -3f];
        var rng = new Random(1);
        Assert.That(SamplingStrategy.Greedy.Sample(logits, rng), Is.EqualTo(1));
        Assert.That(Enumerable.Range(0, 50).Select(_ => SamplingStrategy.WithTopK(1).Sample(logits, rng)), Is.All.EqualTo(1));
        var topTwo = Enumerable.Range(0, 400).Select(_ => SamplingStrategy.WithTopK(2).Sample(logits, rng)).ToHashSet();
        Assert.That(topTwo, Is.EquivalentTo(new[] { 1, 2 }), "top-2 samples only the two most likely tokens, both of them");
    }

    [Test]
    public void TruncatedBptt_ChunksContinueWhereThePreviousEnded()
    {
        int[] stream = Enumerable.Range(0, 14).ToArray(); // 2 rows of 7: 0..6 and 7..13
        var chunks = TruncatedBptt.Chunks(stream, batchSize: 2, chunkLength: 4).ToList();
        Assert.That(chunks, Has.Count.EqualTo(2));
        Assert.That(chunks[0].Inputs.Lengths, Is.EqualTo(new[] { 4, 4 }));
        Assert.That(chunks[1].Inputs.Lengths, Is.EqualTo(new[] { 2, 2 }));
        Assert.That(Enumerable.Range(0, 4).Select(t => chunks[0].Inputs[t, 1]), Is.EqualTo(new[] { 7, 8, 9, 10 }));
        Assert.That(Enumerable.Range(0, 2).Select(t => chunks[1].Inputs[t, 0]), Is.EqualTo(new[] { 4, 5 }));
        Assert.That(chunks[1].Targets, Is.EqualTo(new[] { 5, 12, 6, 13 }), "time-major targets: the next token of each row");
    }
}
