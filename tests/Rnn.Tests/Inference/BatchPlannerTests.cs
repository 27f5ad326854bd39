using RnnNative.Inference;

namespace RnnNative.Tests.Inference;

/// <summary>The batch plan of one window: every record once, within the limits, and no batch under the efficiency floor.</summary>
public class BatchPlannerTests
{
    /// <summary>Long-tailed lengths (log-normal, median 40, capped at 500), as in a real corpus.</summary>
    private static List<int> LongTailed(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            double normal = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            return (int)Math.Clamp(Math.Round(Math.Exp(Math.Log(40) + 0.8 * normal)), 1, 500);
        }).ToList();
    }

    private static double Efficiency(IEnumerable<int[]> batches, IReadOnlyList<int> lengths) =>
        (double)batches.Sum(b => b.Sum(i => (long)lengths[i])) / batches.Sum(b => (long)b.Length * b.Max(i => lengths[i]));

    [Test]
    public void BucketedBatchesStayAboveTheFloorAndWithinTheLimits()
    {
        var lengths = LongTailed(4096, 1);
        var options = new BatchPredictorOptions { MaxBatchSize = 256, MaxBatchTokens = 32768 };
        var batches = BatchPlanner.Plan(lengths, options);

        Assert.That(batches.SelectMany(b => b).Order(), Is.EqualTo(Enumerable.Range(0, lengths.Count)), "every record exactly once");
        foreach (var batch in batches)
        {
            Assert.That(batch, Has.Length.LessThanOrEqualTo(256));
            Assert.That(batch.Length == 1 || (long)batch.Length * batch.Max(i => lengths[i]) <= 32768, "token budget");
            Assert.That(Efficiency([batch], lengths), Is.GreaterThanOrEqualTo(0.9), "batch efficiency floor");
        }
        Assert.That(Efficiency(batches, lengths), Is.GreaterThanOrEqualTo(0.9));
    }

    [Test]
    public void WithoutTheFloorTheLongTailIsPaddedAndWithoutBucketingFarMore()
    {
        // What the floor buys, on the same window: the plain greedy cut falls under 0.9; arrival order far under it.
        var lengths = LongTailed(4096, 1);
        double greedy = Efficiency(BatchPlanner.Plan(lengths, new BatchPredictorOptions { MinBatchPaddingEfficiency = 0 }), lengths);
        double arrival = Efficiency(BatchPlanner.Plan(lengths, new BatchPredictorOptions { Bucketing = false, MaxBatchSize = 64 }), lengths);
        Assert.That(greedy, Is.LessThan(0.9));
        Assert.That(arrival, Is.LessThan(0.5));
    }

    [Test]
    public void TheFloorIsValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchPredictorOptions { MinBatchPaddingEfficiency = 1.5 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchPredictorOptions { MinBatchPaddingEfficiency = double.NaN }.Validate());
    }
}
