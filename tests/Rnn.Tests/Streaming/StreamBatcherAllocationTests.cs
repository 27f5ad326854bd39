using RnnNative.Streaming;

namespace RnnNative.Tests.Streaming;

/// <summary>
/// Steady state allocates per request (its task), never per stream carried by a call: with a state of 2 KiB per stream
/// (h and c of 256 floats), gathering or scattering through fresh buffers would cost kilobytes per step.
/// </summary>
[TestFixture]
[NonParallelizable]
public class StreamBatcherAllocationTests
{
    [Test]
    public async Task StepsInSteadyStateAllocateFarLessThanOneStreamsState()
    {
        var spec = new RnnSpec(RnnCellKind.Lstm, 8, 256);
        // oneDNN: its caller-memory Forward allocates nothing per call (the managed reference is built for truth, not for this).
        using var executor = Concurrency.CallerMemoryCases.Backend("onednn").CreateExecutor(RnnParameters.InitializeUniform(spec, 3), new RnnExecutorOptions(Threads: 1));
        using var batcher = new RnnStreamBatcher(executor, new RnnStreamOptions { MaxBatchSize = 64 });
        const int streams = 64, rounds = 20;
        var keys = Enumerable.Range(0, streams).Select(s => $"s{s}").ToArray();
        var x = StreamReference.RandomValues(new Random(1), spec.InputSize);
        var outputs = Enumerable.Range(0, streams).Select(_ => new float[spec.OutputSize]).ToArray();
        var steps = new Task<int>[streams];
        async Task Round()
        {
            for (int s = 0; s < streams; s++) steps[s] = batcher.StepAsync(keys[s], x, outputs[s]);
            await Task.WhenAll(steps).WaitAsync(TimeSpan.FromSeconds(30));
        }
        for (int i = 0; i < 3; i++) await Round();   // buffers reach their size, streams are open
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < rounds; i++) await Round();
        long perStep = (GC.GetTotalAllocatedBytes(precise: true) - before) / (rounds * streams);
        TestContext.Out.WriteLine($"{perStep} bytes allocated per step");
        Assert.That(perStep, Is.LessThan(1024), "bytes allocated per step in steady state; one stream's state is 2048 bytes");
    }
}
