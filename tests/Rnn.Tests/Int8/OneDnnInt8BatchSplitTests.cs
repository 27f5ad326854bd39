using RnnNative.Interop.OneDnn;
using RnnNative.Tests.OneDnn;
using RnnNative.Validation;

namespace RnnNative.Tests.Int8;

/// <summary>
/// An int8 call with several threads and a large enough batch splits its rows into independent parts, one per thread.
/// int8 accumulates exactly (s32), so the split must not change a single bit: each case runs the same executor shape
/// with 1 thread (never split) and with 2 and 3 threads (split into 2 and 3 parts of unequal lengths and sizes).
/// </summary>
[TestFixture]
public sealed class OneDnnInt8BatchSplitTests
{
    [SetUp]
    public void RequireBackend() => OneDnnTestSupport.RequireBackend();

    // Batches of 37-50 rows: parts of different sizes and lengths for 2 and 3 threads.
    private static readonly ValidationCase[] Cases =
    [
        new("s01", RnnCellKind.Lstm, 2, false, 12, 20, 37, 9, LengthPattern.DistinctUnsorted, true, true, true, RnnMode.Inference, 21),
        new("s02", RnnCellKind.Lstm, 2, true, 10, 16, 41, 7, LengthPattern.WithTies, false, true, false, RnnMode.Inference, 22),
        new("s03", RnnCellKind.Lstm, 1, true, 8, 12, 50, 6, LengthPattern.OneAndFull, true, false, true, RnnMode.Inference, 23),
        new("s04", RnnCellKind.Lstm, 1, false, 16, 24, 48, 5, LengthPattern.AllEqual, true, true, false, RnnMode.Inference, 24),
        new("s05", RnnCellKind.Lstm, 2, false, 6, 10, 40, 8, LengthPattern.DistinctUnsorted, false, true, false, RnnMode.Inference, 25),
    ];

    private static RnnExecutor Create(ValidationInputs inputs, Int8Quantization quantization, int threads) =>
        OneDnnBackend.Instance.CreateExecutor(inputs.Parameters, new RnnExecutorOptions(RnnPrecision.Int8, threads, Quantization: quantization));

    private static void AssertIdentical(RnnForwardResult got, RnnForwardResult want, string what)
    {
        Assert.That(got.Output.Span.ToArray(), Is.EqualTo(want.Output.Span.ToArray()), $"{what}: y");
        Assert.That(got.Hidden.Span.ToArray(), Is.EqualTo(want.Hidden.Span.ToArray()), $"{what}: h_n");
        Assert.That(got.Cell!.Span.ToArray(), Is.EqualTo(want.Cell!.Span.ToArray()), $"{what}: c_n");
    }

    [TestCaseSource(nameof(Cases))]
    public void ASplitBatchGivesBitIdenticalResultsToAnUnsplitOne(ValidationCase validationCase)
    {
        var inputs = validationCase.CreateInputs();
        var quantization = Int8Calibration.Calibrate(inputs.Parameters, inputs.Input);
        using var single = Create(inputs, quantization, 1);
        using var want = single.Forward(inputs.Input);
        foreach (int threads in new[] { 2, 3 })
        {
            using var split = Create(inputs, quantization, threads);
            using var got = split.Forward(inputs.Input);
            AssertIdentical(got, want, $"{threads} threads");
        }
    }

    // Parts and whole calls of the same size share primitive shapes, yet a part runs on one thread and a whole call on
    // several: alternate them on one executor, whole first and part first.
    [Test]
    public void SplitAndUnsplitCallsOfTheSameRowsMixOnOneExecutor()
    {
        var whole = Cases[3];
        var half = whole with { Batch = whole.Batch / 2 };
        var inputs = whole.CreateInputs();
        var halfInputs = half.CreateInputs(); // same seed and shape: the same parameters
        var quantization = Int8Calibration.Calibrate(inputs.Parameters, inputs.Input);
        using var single = Create(inputs, quantization, 1);
        using var wantWhole = single.Forward(inputs.Input);
        using var wantHalf = single.Forward(halfInputs.Input);
        foreach (bool wholeFirst in new[] { true, false })
        {
            using var split = Create(inputs, quantization, 2);
            for (int i = 0; i < 4; i++)
            {
                bool isWhole = (i % 2 == 0) == wholeFirst;
                using var got = split.Forward(isWhole ? inputs.Input : halfInputs.Input);
                AssertIdentical(got, isWhole ? wantWhole : wantHalf, $"call {i} ({(isWhole ? "split" : "unsplit")}, whole first: {wholeFirst})");
            }
        }
    }

    // Concurrent callers each split their own batch on their own threads: no part's buffers may be another call's.
    [Test]
    public void ConcurrentSplitCallsGiveTheSameResultsAsOneAtATime()
    {
        // Two batches of one shape with different lengths and values, so a part that read another call's rows would show.
        var inputs = Cases[0].CreateInputs();
        var otherInputs = (Cases[0] with { Lengths = LengthPattern.WithTies, Seed = 31 }).CreateInputs();
        var quantization = Int8Calibration.Calibrate(inputs.Parameters, inputs.Input);
        using var single = Create(inputs, quantization, 1);
        var batches = new[] { inputs.Input, otherInputs.Input };
        var expected = batches.Select(b => single.Forward(b)).ToArray();
        using var split = Create(inputs, quantization, 2);
        var results = new RnnForwardResult[12];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = split.Forward(batches[i % 2]));
        for (int i = 0; i < results.Length; i++) AssertIdentical(results[i], expected[i % 2], $"call {i}");
        foreach (var r in results.Concat(expected)) r.Dispose();
    }
}
