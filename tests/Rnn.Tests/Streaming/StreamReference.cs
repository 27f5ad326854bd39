using RnnNative.Managed;

namespace RnnNative.Tests.Streaming;

/// <summary>
/// The truth a stream is checked against: its whole sequence run alone, in one call, through the managed reference
/// (never through the batcher).
/// </summary>
internal static class StreamReference
{
    public sealed record Whole(float[] Output, float[] Hidden, float[] Cell);

    /// <summary>x holds T × input_size values; h0 (L, S) and c0 (L, H) may be null for zeros.</summary>
    public static Whole Run(RnnParameters parameters, float[] x, float[]? h0 = null, float[]? c0 = null)
    {
        var spec = parameters.Spec;
        int steps = x.Length / spec.InputSize;
        using var executor = ManagedBackend.Instance.CreateExecutor(parameters);
        var input = new RnnInput(
            RnnTensors.Create((float[])x.Clone(), steps, 1, spec.InputSize), null,
            h0 is null ? null : RnnTensors.Create((float[])h0.Clone(), spec.NumLayers, 1, spec.HiddenStateSize),
            c0 is null ? null : RnnTensors.Create((float[])c0.Clone(), spec.NumLayers, 1, spec.CellStateSize));
        using var result = executor.Forward(input);
        return new Whole(result.Output.Span.ToArray(), result.Hidden.Span.ToArray(), result.Cell?.Span.ToArray() ?? []);
    }

    public static float[] RandomValues(Random rng, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }

    public static void AssertClose(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double tolerance, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        for (int i = 0; i < actual.Length; i++)
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]} (tolerance {tolerance}).");
    }
}
