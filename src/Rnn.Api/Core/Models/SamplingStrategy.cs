namespace RnnNative.Models;

/// <summary>
/// How a generator picks the next token from logits: greedy (arg-max), temperature sampling (softmax(x/T); T &lt; 1
/// sharpens, T &gt; 1 flattens) and top-k (sample among the k most likely only).
/// </summary>
public sealed record SamplingStrategy
{
    private SamplingStrategy(double temperature, int topK, bool greedy)
    {
        Temperature = temperature;
        TopK = topK;
        IsGreedy = greedy;
    }

    public double Temperature { get; }
    /// <summary>0 = all tokens.</summary>
    public int TopK { get; }
    public bool IsGreedy { get; }

    public static SamplingStrategy Greedy { get; } = new(1, 0, true);

    public static SamplingStrategy WithTemperature(double temperature) => new(CheckTemperature(temperature), 0, false);

    public static SamplingStrategy WithTopK(int k, double temperature = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return new(CheckTemperature(temperature), k, false);
    }

    public int Sample(ReadOnlySpan<float> logits, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (logits.IsEmpty) throw new ArgumentException("There are no logits to sample from.", nameof(logits));
        if (IsGreedy) return System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
        var order = Enumerable.Range(0, logits.Length).ToArray();
        var values = logits.ToArray();
        Array.Sort(order, (a, b) => values[b].CompareTo(values[a]));
        int keep = TopK > 0 ? Math.Min(TopK, order.Length) : order.Length;
        double max = values[order[0]];
        var weights = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) sum += weights[i] = Math.Exp((values[order[i]] - max) / Temperature);
        double u = random.NextDouble() * sum;
        for (int i = 0; i < keep; i++)
        {
            u -= weights[i];
            if (u < 0) return order[i];
        }
        return order[keep - 1];
    }

    private static double CheckTemperature(double t) => t > 0 && !double.IsInfinity(t)
        ? t
        : throw new ArgumentOutOfRangeException("temperature", t, "The temperature must be a positive number.");
}
