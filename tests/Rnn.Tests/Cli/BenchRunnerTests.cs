using RnnNative.Cli.Benchmarking;

namespace RnnNative.Tests.Cli;

/// <summary>The bench's callers: K threads on one executor at once, each call with the requested thread count and its own buffers.</summary>
public class BenchRunnerTests
{
    [TestCase(1)]
    [TestCase(4)]
    public void CallersCallOneExecutorAtOnceEachWithItsOwnBuffers(int callers)
    {
        var backend = new RendezvousBackend(callers);
        var spec = new RnnSpec(RnnCellKind.Gru, 3, 4);
        var result = BenchRunner.Measure(backend, spec, batch: 2, seqLen: 3, new RnnExecutorOptions(Threads: 2), train: false, seconds: 0.05, callers);

        Assert.That(backend.ExecutorsCreated, Is.EqualTo(1), "one executor shared by every caller");
        Assert.That(backend.MostAtOnce, Is.EqualTo(callers), "every caller inside the executor at the same time");
        Assert.That(backend.CallingThreads, Has.Count.EqualTo(callers));
        Assert.That(backend.OutputBuffers, Has.Count.EqualTo(callers), "one output buffer per caller, reused across its calls");
        Assert.That(backend.ThreadCountsRequested, Is.EquivalentTo(new[] { 2 }), "each call asks for --threads itself");
        Assert.That(result.Callers, Is.EqualTo(callers));
        Assert.That(result.Iterations, Is.GreaterThanOrEqualTo(callers), "every caller makes at least one timed call");
    }

    [Test]
    public void AFailingCallIsRethrownNotHung()
    {
        var spec = new RnnSpec(RnnCellKind.Gru, 3, 4);
        // The double refuses the training path, so every caller's first (warm-up) call throws on its own thread.
        Assert.Throws<NotSupportedException>(() =>
            BenchRunner.Measure(new RendezvousBackend(2), spec, 2, 3, RnnExecutorOptions.Default, train: true, seconds: 0.05, callers: 2));
    }

    [Test]
    public void PercentilesAreNearestRank()
    {
        long[] sorted = [.. Enumerable.Range(1, 200).Select(i => (long)i)];
        Assert.That(LatencySummary.NearestRank(sorted, 0.50), Is.EqualTo(100));
        Assert.That(LatencySummary.NearestRank(sorted, 0.99), Is.EqualTo(198));
        Assert.That(LatencySummary.NearestRank([7], 0.99), Is.EqualTo(7));
    }

    [Test]
    public void PeakResidentMemoryReadsTheKernelsKilobytes()
    {
        Assert.That(PeakResidentMemory.ParseKilobytes("\t  123456 kB"), Is.EqualTo(123456));
        Assert.Throws<FormatException>(() => PeakResidentMemory.ParseKilobytes(" 12 MB"));
        if (!OperatingSystem.IsLinux()) Assert.Ignore("Only Linux reports VmHWM in /proc/self/status.");
        Assert.That(PeakResidentMemory.Megabytes(), Is.GreaterThan(1), "a .NET process resides in more than 1 MiB");
    }
}
