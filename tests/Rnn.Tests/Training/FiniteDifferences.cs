using System.Numerics.Tensors;
namespace RnnNative.Tests.Training;

/// <summary>
/// Central differences on float tensors. The step actually taken is measured after rounding to float, so the
/// quotient is not skewed by the representation of x ± h.
/// </summary>
internal static class FiniteDifferences
{
    /// <summary>Checks d loss / d values[i] against analytic[i] for every element (or <paramref name="samples"/> random ones).</summary>
    public static void Check(string what, Func<double> loss, Tensor<float> values, Tensor<float> analytic, double step, double tolerance, int samples = 0, int seed = 1)
    {
        Assert.That(analytic.Length, Is.EqualTo(values.Length), $"{what}: gradient and value sizes differ");
        var rng = new Random(seed);
        var indices = samples <= 0 || samples >= values.Length
            ? Enumerable.Range(0, values.Length).ToArray()
            : Enumerable.Range(0, samples).Select(_ => rng.Next(values.Length)).ToArray();
        foreach (int i in indices)
        {
            float original = values.Span[i];
            float plus = (float)(original + step), minus = (float)(original - step);
            values.Span[i] = plus;
            double lp = loss();
            values.Span[i] = minus;
            double lm = loss();
            values.Span[i] = original;
            double numeric = (lp - lm) / ((double)plus - minus);
            double a = analytic.Span[i];
            Assert.That(a, Is.EqualTo(numeric).Within(tolerance * Math.Max(1, Math.Abs(numeric))),
                $"{what}[{i}]: analytic {a} vs finite difference {numeric}");
        }
    }

    public static Tensor<float> Random(Random rng, params int[] shape)
    {
        var t = RnnTensors.Zeros(shape);
        for (int i = 0; i < t.Length; i++) t.Span[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }

    public static double Dot(Tensor<float> a, Tensor<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a.Span[i] * b.Span[i];
        return s;
    }
}
