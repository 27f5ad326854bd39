using static RnnNative.Tests.Concurrency.CallerMemoryCases;

namespace RnnNative.Tests.Concurrency;

/// <summary>
/// Forward over caller memory: the same numbers as <see cref="RnnExecutor.Forward(RnnInput, RnnMode)"/>, written into
/// the caller's buffers, and no managed allocation proportional to the batch in the steady state.
/// </summary>
public class CallerMemoryForwardTests
{
    private static readonly RnnSpec[] Specs =
    [
        new(RnnCellKind.Lstm, 5, 7, 2, bidirectional: true),
        new(RnnCellKind.Gru, 4, 6, 1),
        new(RnnCellKind.RnnTanh, 3, 5, 2, bidirectional: true, hasBias: false),
    ];

    [TestCase("managed")]
    [TestCase("onednn")]
    [TestCase("cudnn", Category = "Gpu")]
    public void CallerMemoryForwardEqualsTheTensorForwardBitForBit(string backendName)
    {
        var backend = Backend(backendName);
        var rng = new Random(11);
        foreach (var spec in Specs)
        {
            using var exec = backend.CreateExecutor(RnnParameters.InitializeUniform(spec, 5));
            foreach (bool batchFirst in new[] { false, true })
            foreach (bool varlen in new[] { false, true })
            foreach (bool states in new[] { false, true })
            {
                var input = RandomInput(spec, rng, 1 + rng.Next(6), 1 + rng.Next(5), varlen, states, batchFirst);
                using var want = exec.Forward(input);
                var request = ToRequest(input);
                // Poisoned buffers: every element must be written.
                var outputs = RnnOutputBuffers.Allocate(spec, request.SeqLen, request.Batch);
                outputs.Output.Fill(float.NaN);
                outputs.Hidden.Fill(float.NaN);
                outputs.Cell.Fill(float.NaN);
                exec.Forward(request, outputs);
                string what = $"{spec} batchFirst={batchFirst} varlen={varlen} states={states}";
                Assert.That(outputs.Output.ToArray(), Is.EqualTo(want.Output.Span.ToArray()), what + ": y");
                Assert.That(outputs.Hidden.ToArray(), Is.EqualTo(want.Hidden.Span.ToArray()), what + ": h_n");
                if (want.Cell is not null) Assert.That(outputs.Cell.ToArray(), Is.EqualTo(want.Cell.Span.ToArray()), what + ": c_n");
            }
        }
    }

    [TestCase("managed")]
    [TestCase("onednn")]
    public void SteadyStateCallsAllocateAtMostOneKibibyteWhateverTheBatch(string backendName)
    {
        var backend = Backend(backendName);
        var spec = new RnnSpec(RnnCellKind.Lstm, 16, 32, 2, bidirectional: true);
        using var exec = backend.CreateExecutor(RnnParameters.InitializeUniform(spec, 2));
        foreach (int batch in new[] { 2, 128 })
        {
            const int seqLen = 8, calls = 10;
            var input = RandomInput(spec, new Random(batch), seqLen, batch, varlen: true, withStates: true, batchFirst: true);
            var request = ToRequest(input, threads: 1);
            var outputs = RnnOutputBuffers.Allocate(spec, seqLen, batch);
            for (int i = 0; i < 3; i++) exec.Forward(request, outputs); // warm: pools, primitive cache, JIT
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < calls; i++) exec.Forward(request, outputs);
            long perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
            Assert.That(perCall, Is.LessThanOrEqualTo(1024), $"batch {batch}: {perCall} bytes per call");
        }
    }

    [Test]
    public void BuffersOfTheWrongSizeAreRefusedNamingTheBuffer()
    {
        var spec = Specs[0];
        using var exec = RnnNative.Managed.ManagedBackend.Instance.CreateExecutor(RnnParameters.InitializeUniform(spec, 1));
        var x = new float[3 * 2 * spec.InputSize];
        var (ySize, hSize, cSize) = RnnOutputBuffers.Sizes(spec, 3, 2);
        float[] y = new float[ySize], hn = new float[hSize], cn = new float[cSize];
        var e = Assert.Throws<ArgumentException>(() => exec.Forward(new RnnInferenceRequest(x, 3, 2), new RnnOutputBuffers(y.AsSpan(1), hn, cn)))!;
        Assert.That(e.Message, Does.Contain("output must hold 84 elements"));
        Assert.That(Assert.Throws<ArgumentException>(() => exec.Forward(new RnnInferenceRequest(new float[5], 3, 2), new RnnOutputBuffers(y, hn, cn)))!.Message,
            Does.Contain("input must hold 30"));
        Assert.That(Assert.Throws<ArgumentException>(() => exec.Forward(new RnnInferenceRequest(x, 3, 2) { Lengths = new[] { 1, 4 } }, new RnnOutputBuffers(y, hn, cn)))!.Message,
            Does.Contain("lengths[1] = 4"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => exec.Forward(new RnnInferenceRequest(x, 3, 2) { Threads = -1 }, new RnnOutputBuffers(y, hn, cn))), Is.Not.Null);
    }

    [Test]
    public void SliceServesSmallerBatchesFromOneAllocation()
    {
        var spec = Specs[1];
        var (ySize, hSize, cSize) = RnnOutputBuffers.Sizes(spec, 10, 8);
        float[] y = new float[ySize], hn = new float[hSize], cn = new float[cSize];
        var small = new RnnOutputBuffers(y, hn, cn).Slice(spec, 3, 2);
        Assert.That(small.Output.Length, Is.EqualTo(3 * 2 * spec.OutputSize));
        Assert.That(small.Hidden.Length, Is.EqualTo(2 * spec.HiddenSize));
        Assert.That(small.Cell.IsEmpty, Is.True);
        Assert.Throws<ArgumentException>(() => new RnnOutputBuffers(y, hn, cn).Slice(spec, 11, 8));
    }
}
