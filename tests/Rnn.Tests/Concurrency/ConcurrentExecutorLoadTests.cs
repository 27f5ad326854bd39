using RnnNative.Interop.OneDnn;
using static RnnNative.Tests.Concurrency.CallerMemoryCases;

namespace RnnNative.Tests.Concurrency;

/// <summary>
/// Eight threads × 200 calls on one executor: mixed batch sizes, unsorted lengths with length-1 sequences,
/// batch-first and time-major, with and without h0/c0, one or two threads per call. Every result must equal, bit for
/// bit, the same call made alone with the same thread count; a workspace handed to two callers at once shows here.
/// </summary>
public class ConcurrentExecutorLoadTests
{
    private const int Callers = 8, CallsPerCaller = 200, DistinctCases = 48;

    private sealed record Case(RnnInput Input, int Threads, float[] Y, float[] Hn, float[]? Cn);

    [TestCase("managed", RnnPrecision.F32)]
    [TestCase("onednn", RnnPrecision.F32)]
    [TestCase("onednn", RnnPrecision.Bf16)]
    [TestCase("cudnn", RnnPrecision.F32, Category = "Gpu")]
    [TestCase("cudnn", RnnPrecision.Bf16, Category = "Gpu")]
    public void EveryConcurrentCallEqualsTheSameCallMadeAlone(string backendName, RnnPrecision precision)
    {
        var backend = Backend(backendName);
        if (!backend.Supports(precision)) Assert.Ignore($"{backendName} cannot run {precision} on this machine.");
        var spec = new RnnSpec(RnnCellKind.Lstm, 5, 8, 2, bidirectional: true);
        using var exec = backend.CreateExecutor(RnnParameters.InitializeUniform(spec, 9), new RnnExecutorOptions(precision, Threads: 1));
        var rng = new Random(2024);
        var cases = new Case[DistinctCases];
        for (int i = 0; i < cases.Length; i++)
        {
            var input = RandomInput(spec, rng, 1 + rng.Next(7), 1 + rng.Next(i % 4 == 0 ? 12 : 4), varlen: i % 3 != 0,
                withStates: i % 2 == 0, batchFirst: i % 5 < 2);
            // The managed reference runs a call on its caller's thread only.
            int callThreads = backendName == "managed" ? 1 : 1 + i % 2;
            var request = ToRequest(input, callThreads);
            var alone = RnnOutputBuffers.Allocate(spec, request.SeqLen, request.Batch);
            exec.Forward(request, alone);
            cases[i] = new Case(input, callThreads, alone.Output.ToArray(), alone.Hidden.ToArray(), alone.Cell.IsEmpty ? null : alone.Cell.ToArray());
        }

        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var start = new Barrier(Callers);
        var threads = Enumerable.Range(0, Callers).Select(caller => new Thread(() =>
        {
            float[] y = new float[13 * 12 * spec.OutputSize], hn = new float[4 * 12 * spec.HiddenSize], cn = new float[4 * 12 * spec.HiddenSize];
            start.SignalAndWait();
            for (int call = 0; call < CallsPerCaller && failures.IsEmpty; call++)
            {
                var c = cases[(caller * 7 + call * 13) % cases.Length];
                var request = ToRequest(c.Input, c.Threads);
                var outputs = new RnnOutputBuffers(y, hn, cn).Slice(spec, request.SeqLen, request.Batch);
                try
                {
                    exec.Forward(request, outputs);
                }
                catch (Exception e)
                {
                    failures.Enqueue($"caller {caller} call {call}: {e.GetType().Name}: {e.Message}");
                    return;
                }
                if (!outputs.Output.SequenceEqual(c.Y) || !outputs.Hidden.SequenceEqual(c.Hn)
                    || (c.Cn is not null && !outputs.Cell.SequenceEqual(c.Cn)))
                    failures.Enqueue($"caller {caller} call {call}: result differs from the same call made alone");
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.That(failures, Is.Empty);
    }
}
