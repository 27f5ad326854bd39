using RnnNative.Inference;

namespace RnnNative.Tests.Inference;

/// <summary>
/// The batch cuts: every record exactly once, the limits and the efficiency floor kept, arrival order without bucketing,
/// the least-cost cut
/// checked against brute force over every contiguous partition, and a long-tailed length distribution batched with
/// little padding.
/// </summary>
public class BatchPlannerTests
{
    private static readonly BatchPredictorOptions Options = new() { MaxBatchSize = 256, MaxBatchTokens = 32768 };

    private static int[] LongTailed(int count, int seed)
    {
        var rng = new Random(seed);
        // Log-normal, median 40, capped at 500: the batch-inference workload's shape.
        return Enumerable.Range(0, count).Select(_ =>
        {
            double normal = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            return Math.Clamp((int)Math.Round(Math.Exp(Math.Log(40) + 0.8 * normal)), 1, 500);
        }).ToArray();
    }

    private static double PaddingEfficiency(IEnumerable<int[]> batches, int[] lengths) =>
        batches.Sum(b => b.Sum(i => (double)lengths[i])) / batches.Sum(b => (double)b.Length * b.Max(i => lengths[i]));

    private static long Cost(IEnumerable<int[]> batches, int[] lengths) =>
        batches.Sum(b => (long)b.Max(i => lengths[i]) * (b.Length + BatchPlanner.StepOverhead));

    [TestCase(true)]
    [TestCase(false)]
    public void EveryRecordOnceWithinTheLimits(bool bucketing)
    {
        var lengths = LongTailed(3000, seed: 5);
        var options = Options with { Bucketing = bucketing, MaxBatchSize = 64, MaxBatchTokens = 4000 };
        var batches = BatchPlanner.Plan(lengths, options);
        Assert.That(batches.SelectMany(b => b).Order(), Is.EqualTo(Enumerable.Range(0, lengths.Length)));
        foreach (var b in batches)
        {
            Assert.That(b, Has.Length.InRange(1, 64));
            if (b.Length > 1) Assert.That(b.Length * b.Max(i => lengths[i]), Is.LessThanOrEqualTo(4000));
        }
    }

    [Test]
    public void WithoutBucketingBatchesKeepArrivalOrder()
    {
        var lengths = LongTailed(500, seed: 6);
        var batches = BatchPlanner.Plan(lengths, Options with { Bucketing = false, MaxBatchSize = 64 });
        Assert.That(batches.SelectMany(b => b), Is.EqualTo(Enumerable.Range(0, lengths.Length)));
    }

    [Test]
    public void ARecordLongerThanTheTokenLimitRunsAlone()
    {
        int[] lengths = [3, 900, 4, 5];
        var batches = BatchPlanner.Plan(lengths, Options with { MaxBatchTokens = 100 });
        Assert.That(batches, Has.Some.EqualTo(new[] { 1 }));
        Assert.That(batches.SelectMany(b => b).Order(), Is.EqualTo(new[] { 0, 1, 2, 3 }));
    }

    [Test]
    public void TheCutIsTheLeastCostOfEveryContiguousPartition()
    {
        var rng = new Random(11);
        for (int trial = 0; trial < 200; trial++)
        {
            var lengths = Enumerable.Range(0, rng.Next(1, 11)).Select(_ => rng.Next(1, 60)).ToArray();
            var options = Options with { MaxBatchSize = rng.Next(1, 6), MaxBatchTokens = rng.Next(30, 200), MinBatchPaddingEfficiency = rng.Next(3) * 0.4 };
            var sorted = Enumerable.Range(0, lengths.Length).OrderBy(i => lengths[i]).ThenBy(i => i).ToArray();
            long brute = long.MaxValue;
            // Bit k of the mask set = a cut after sorted position k.
            for (int mask = 0; mask < 1 << (lengths.Length - 1); mask++)
            {
                var parts = new List<int[]>();
                int from = 0;
                for (int k = 0; k < lengths.Length; k++)
                {
                    if (k == lengths.Length - 1 || (mask >> k & 1) == 1)
                    {
                        parts.Add(sorted[from..(k + 1)]);
                        from = k + 1;
                    }
                }
                bool allowed = parts.All(p => p.Length == 1 || (p.Length <= options.MaxBatchSize && p.Length * p.Max(i => lengths[i]) <= options.MaxBatchTokens
                    && p.Sum(i => lengths[i]) >= options.MinBatchPaddingEfficiency * p.Length * p.Max(i => lengths[i])));
                if (allowed) brute = Math.Min(brute, Cost(parts, lengths));
            }
            var planned = BatchPlanner.Plan(lengths, options);
            Assert.That(Cost(planned, lengths), Is.EqualTo(brute), $"trial {trial}: lengths [{string.Join(", ", lengths)}]");
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void ALongTailedWindowIsBatchedWithLittlePaddingWithoutAFloor(int seed)
    {
        var lengths = LongTailed(4096, seed);
        var bucketed = BatchPlanner.Plan(lengths, Options with { MinBatchPaddingEfficiency = 0 });
        var arrival = BatchPlanner.Plan(lengths, Options with { Bucketing = false });
        double efficiency = PaddingEfficiency(bucketed, lengths);
        TestContext.Out.WriteLine($"padding efficiency {efficiency:F3} in {bucketed.Count} batches; arrival order {PaddingEfficiency(arrival, lengths):F3}");
        Assert.That(efficiency, Is.GreaterThanOrEqualTo(0.9));
    }

    [Test]
    public void NoBatchFallsUnderTheEfficiencyFloor()
    {
        var lengths = LongTailed(4096, seed: 4);
        foreach (var batch in BatchPlanner.Plan(lengths, Options with { MinBatchPaddingEfficiency = 0.97 }))
            Assert.That(PaddingEfficiency([batch], lengths), Is.GreaterThanOrEqualTo(0.97));
    }

    [Test]
    public void TheFloorIsValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchPredictorOptions { MinBatchPaddingEfficiency = 1.5 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchPredictorOptions { MinBatchPaddingEfficiency = double.NaN }.Validate());
    }
}
