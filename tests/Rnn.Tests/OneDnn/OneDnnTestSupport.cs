using RnnNative.Interop.OneDnn;

namespace RnnNative.Tests.OneDnn;

/// <summary>Random batches for one spec, the managed reference's answer, and the per-tensor tolerance check.</summary>
internal static class OneDnnTestSupport
{
    public static void RequireBackend()
    {
        var availability = OneDnnBackend.Instance.Availability;
        if (!availability.IsAvailable) Assert.Ignore($"oneDNN backend unavailable here: {availability.Reason}");
    }

    public static Tensor Random(Random rng, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        for (int i = 0; i < t.Length; i++) t.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }

    public static RnnInput RandomInput(RnnSpec spec, Random rng, int seqLen, int batch, int[]? lengths, bool withStates, bool batchFirst)
    {
        var x = batchFirst ? Random(rng, batch, seqLen, spec.InputSize) : Random(rng, seqLen, batch, spec.InputSize);
        int rows = spec.NumLayers * spec.Directions;
        var h0 = withStates ? Random(rng, rows, batch, spec.HiddenSize) : null;
        var c0 = withStates && spec.Cell.HasCellState() ? Random(rng, rows, batch, spec.HiddenSize) : null;
        return new RnnInput(x, lengths, h0, c0, batchFirst);
    }

    /// <summary>max|actual − expected| ≤ relative · max(1, max|expected|), the project's per-tensor rule.</summary>
    public static void AssertClose(Tensor? actual, Tensor? expected, string what, double relative = 1e-4)
    {
        if (expected is null)
        {
            Assert.That(actual, Is.Null, what);
            return;
        }
        Assert.That(actual, Is.Not.Null, what);
        Assert.That(actual!.ShapeString, Is.EqualTo(expected.ShapeString), $"{what}: shape");
        double scale = 1, worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected.Data[i]));
            Assert.That(float.IsFinite(actual.Data[i]), Is.True, $"{what}[{i}] is {actual.Data[i]}");
            worst = Math.Max(worst, Math.Abs(actual.Data[i] - expected.Data[i]));
        }
        Assert.That(worst, Is.LessThanOrEqualTo(relative * scale), $"{what}: max abs difference {worst:g3} exceeds {relative:g2}·{scale:g3}");
    }
}
