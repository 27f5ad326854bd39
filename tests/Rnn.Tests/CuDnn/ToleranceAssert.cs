namespace RnnNative.Tests.CuDnn;

/// <summary>The project's tolerance rule: max|a − b| ≤ tolerance · max(1, max|b|) per tensor, b being the reference.</summary>
internal static class ToleranceAssert
{
    public const double F32 = 1e-4;

    public static void Close(Tensor? actual, Tensor? expected, double tolerance, string what)
    {
        if (expected is null)
        {
            Assert.That(actual, Is.Null, what);
            return;
        }
        Assert.That(actual, Is.Not.Null, what);
        Assert.That(actual!.ShapeString, Is.EqualTo(expected.ShapeString), what + " shape");
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs((double)actual.Data[i] - expected.Data[i]));
            maxRef = Math.Max(maxRef, Math.Abs((double)expected.Data[i]));
        }
        double bound = tolerance * Math.Max(1, maxRef);
        Assert.That(maxDiff, Is.LessThanOrEqualTo(bound), $"{what}: max|diff| {maxDiff:E3} exceeds {bound:E3}");
    }

    public static void Close(RnnParameters actual, RnnParameters expected, double tolerance, string what)
    {
        foreach (var (name, tensor) in expected.Tensors) Close(actual[name], tensor, tolerance, $"{what} {name}");
    }
}
