using RnnNative.Validation;
using System.Numerics.Tensors;

namespace RnnNative.Tests.Validation;

/// <summary>The comparison rule: max |a − b| ≤ tolerance · max(1, max |b|), and anything missing, misshapen or not finite fails.</summary>
public class TensorComparisonTests
{
    private static Tensor<float> Vector(params float[] values) => RnnTensors.Create(values, values.Length);

    [Test]
    public void BoundIsAbsoluteBelowOneAndRelativeAbove()
    {
        var small = TensorComparison.Compare("t", Vector(0.5f, 0.1f + 9e-5f), Vector(0.5f, 0.1f), 1e-4);
        var tooFar = TensorComparison.Compare("t", Vector(0.5f, 0.1f + 2e-4f), Vector(0.5f, 0.1f), 1e-4);
        var large = TensorComparison.Compare("t", Vector(1000.05f, 0f), Vector(1000f, 0f), 1e-4);
        var largeTooFar = TensorComparison.Compare("t", Vector(1000f, 0.2f), Vector(1000f, 0f), 1e-4);
        Assert.Multiple(() =>
        {
            Assert.That(small.Passed, Is.True, small.ToString());
            Assert.That(small.Bound, Is.EqualTo(1e-4));
            Assert.That(tooFar.Passed, Is.False, tooFar.ToString());
            Assert.That(large.Passed, Is.True, large.ToString());
            Assert.That(large.Bound, Is.EqualTo(0.1).Within(1e-12));
            Assert.That(largeTooFar.Passed, Is.False, largeTooFar.ToString());
            Assert.That(largeTooFar.WorstIndex, Is.EqualTo(1));
        });
    }

    [Test]
    public void NonFiniteMissingAndMisshapenTensorsFail()
    {
        var nan = TensorComparison.Compare("t", Vector(1f, float.NaN), Vector(1f, 2f), 1e-4);
        var inf = TensorComparison.Compare("t", Vector(float.PositiveInfinity, 2f), Vector(1f, 2f), 1e-4);
        var missing = TensorComparison.Compare("t", null, Vector(1f), 1e-4);
        var shape = TensorComparison.Compare("t", RnnTensors.Create(new float[2], 1, 2), Vector(0f, 0f), 1e-4);
        Assert.Multiple(() =>
        {
            foreach (var c in new[] { nan, inf, missing, shape })
            {
                Assert.That(c.Passed, Is.False, c.ToString());
                Assert.That(c.Problem, Is.Not.Null);
            }
        });
    }

    [Test]
    public void TolerancesAreStatedPerPrecision()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ValidationTolerance.For(RnnPrecision.F32), Is.EqualTo(1e-4));
            Assert.That(ValidationTolerance.For(RnnPrecision.Bf16), Is.EqualTo(1.0 / 16));
            Assert.That(ValidationTolerance.For(RnnPrecision.F16), Is.EqualTo(1.0 / 64));
            foreach (var cell in Enum.GetValues<RnnCellKind>())
                Assert.That(ValidationTolerance.ForGradients(cell, RnnPrecision.F32), Is.EqualTo(1e-4), $"{cell} gradients in f32");
            Assert.That(ValidationTolerance.ForGradients(RnnCellKind.Lstm, RnnPrecision.Bf16), Is.EqualTo(1.0 / 16));
        });
    }

    /// <summary>Where only shape and finiteness are checked (ReLU gradients at reduced precision), those checks still bite.</summary>
    [Test]
    public void InfiniteToleranceStillRejectsNonFiniteAndMisshapenTensors()
    {
        double tolerance = ValidationTolerance.ForGradients(RnnCellKind.RnnRelu, RnnPrecision.Bf16);
        Assert.Multiple(() =>
        {
            Assert.That(tolerance, Is.EqualTo(double.PositiveInfinity));
            Assert.That(TensorComparison.Compare("t", Vector(5f, -3f), Vector(1f, 2f), tolerance).Passed, Is.True);
            Assert.That(TensorComparison.Compare("t", Vector(float.NaN, 2f), Vector(1f, 2f), tolerance).Passed, Is.False);
            Assert.That(TensorComparison.Compare("t", Vector(1f), Vector(1f, 2f), tolerance).Passed, Is.False);
        });
    }
}
