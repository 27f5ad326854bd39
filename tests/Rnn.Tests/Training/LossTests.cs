using RnnNative.Models;
using RnnNative.Training;
using static RnnNative.Tests.Training.FiniteDifferences;

namespace RnnNative.Tests.Training;

/// <summary>Each loss: a value worked out by hand, and its gradient against finite differences (with masks and weights).</summary>
public class LossTests
{
    [Test]
    public void CrossEntropy_HandValues()
    {
        // Two equal logits: −log ½. Logits (0, ln 3): p = (¼, ¾), target 1 → −log ¾.
        var logits = RnnTensors.Create([0f, 0f, 0f, (float)Math.Log(3)], 2, 2);
        var r = SoftmaxCrossEntropy.Compute(logits, [0, 1]);
        Assert.That(r.Value, Is.EqualTo((Math.Log(2) - Math.Log(0.75)) / 2).Within(1e-7));
        Assert.That(r.Gradient.Span.ToArray(), Is.EqualTo(new[] { (0.5 - 1) / 2, 0.5 / 2, 0.25 / 2, (0.75 - 1) / 2 }).Within(1e-7));
    }

    [Test]
    public void CrossEntropy_MaskAndClassWeights_AsPyTorchMeans()
    {
        // PyTorch: Σ w[t_r]·nll_r / Σ w[t_r] over kept rows. Row 1 is masked out (a padded step).
        var logits = RnnTensors.Create([0f, 0f, 5f, -5f, 0f, (float)Math.Log(3)], 3, 2);
        var r = SoftmaxCrossEntropy.Compute(logits, [0, 1, 1], mask: [true, false, true], classWeights: [1f, 3f]);
        Assert.That(r.Value, Is.EqualTo((1 * Math.Log(2) + 3 * -Math.Log(0.75)) / 4).Within(1e-7));
        Assert.That(r.Gradient.Span.ToArray().Skip(2).Take(2), Is.All.EqualTo(0f), "masked rows get no gradient");
        Assert.That(r.Weight, Is.EqualTo(4));
    }

    [Test]
    public void CrossEntropy_GradientMatchesFiniteDifferences()
    {
        var rng = new Random(1);
        var logits = Random(rng, 5, 4);
        int[] targets = [3, 0, 2, 2, 1];
        bool[] mask = [true, true, false, true, true];
        float[] weights = [0.5f, 2f, 1f, 1.5f];
        var r = SoftmaxCrossEntropy.Compute(logits, targets, mask, weights);
        Check("dlogits", () => SoftmaxCrossEntropy.Compute(logits, targets, mask, weights).Value, logits, r.Gradient, 1e-3, 1e-3);
    }

    [Test]
    public void CrossEntropy_LargeLogitsStayFinite()
    {
        var r = SoftmaxCrossEntropy.Compute(RnnTensors.Create([1000f, -1000f], 1, 2), [1]);
        Assert.That(r.Value, Is.EqualTo(2000).Within(1e-3));
        Assert.That(r.Gradient.Span.ToArray(), Is.EqualTo(new[] { 1f, -1f }));
    }

    [Test]
    public void BinaryCrossEntropy_HandValuesAndGradient()
    {
        // z = 0 → −log ½ whatever the target; z = ln 3, y = 1 → −log ¾.
        var logits = RnnTensors.Create([0f, (float)Math.Log(3), 7f], 3);
        var r = BinaryCrossEntropy.Compute(logits, [1f, 1f, 0f], mask: [true, true, false]);
        Assert.That(r.Value, Is.EqualTo((Math.Log(2) - Math.Log(0.75)) / 2).Within(1e-7));
        Assert.That(r.Gradient.Span.ToArray(), Is.EqualTo(new[] { -0.25, -0.125, 0 }).Within(1e-7));

        var rng = new Random(2);
        var z = Random(rng, 6);
        float[] y = [0f, 1f, 0.3f, 1f, 0f, 0.5f];
        bool[] m = [true, true, true, false, true, true];
        Check("dz", () => BinaryCrossEntropy.Compute(z, y, m).Value, z, BinaryCrossEntropy.Compute(z, y, m).Gradient, 1e-3, 1e-3);
        Assert.That(BinaryCrossEntropy.Compute(RnnTensors.Create([-200f], 1), [1f]).Value, Is.EqualTo(200).Within(1e-3), "stable for large |z|");
    }

    [Test]
    public void MeanSquaredError_HandValuesAndGradient()
    {
        var r = MeanSquaredError.Compute(RnnTensors.Create([1f, 3f, 10f], 3), [0f, 1f, 0f], mask: [true, true, false]);
        Assert.That(r.Value, Is.EqualTo((1 + 4) / 2.0));
        Assert.That(r.Gradient.Span.ToArray(), Is.EqualTo(new[] { 1f, 2f, 0f }));

        var rng = new Random(3);
        var p = Random(rng, 2, 3);
        float[] t = [0.1f, -0.4f, 0.9f, 0f, 0.2f, -1f];
        Check("dp", () => MeanSquaredError.Compute(p, t).Value, p, MeanSquaredError.Compute(p, t).Gradient, 1e-2, 1e-4);
    }

    [Test]
    public void Losses_RejectBadInputWithTheArgumentNamed()
    {
        var logits = RnnTensors.Zeros(2, 3);
        Assert.That(() => SoftmaxCrossEntropy.Compute(logits, [0]), Throws.ArgumentException.With.Property("ParamName").EqualTo("targets"));
        Assert.That(() => SoftmaxCrossEntropy.Compute(logits, [0, 3]), Throws.ArgumentException.With.Message.Contains("targets[1] = 3"));
        Assert.That(() => SoftmaxCrossEntropy.Compute(logits, [0, 1], classWeights: [1f]), Throws.ArgumentException.With.Property("ParamName").EqualTo("classWeights"));
        Assert.That(() => SoftmaxCrossEntropy.Compute(RnnTensors.Zeros(6), [0]), Throws.ArgumentException.With.Property("ParamName").EqualTo("logits"));
        Assert.That(() => BinaryCrossEntropy.Compute(RnnTensors.Zeros(2), [0f, 2f]), Throws.ArgumentException.With.Message.Contains("targets[1]"));
        Assert.That(() => MeanSquaredError.Compute(RnnTensors.Zeros(2), [0f], null), Throws.ArgumentException.With.Property("ParamName").EqualTo("targets"));
    }
}
