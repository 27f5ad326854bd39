using static RnnNative.Tests.Concurrency.CallerMemoryCases;

namespace RnnNative.Tests.Concurrency;

/// <summary>
/// UpdateParameters while other threads call Forward on the same executor: every call sees one set of weights whole,
/// the old or the new, never a mix.
/// </summary>
public class ConcurrentParameterUpdateTests
{
    private const int Callers = 4, CallsPerCaller = 60, Updates = 40;

    [TestCase("managed")]
    [TestCase("onednn")]
    [TestCase("cudnn", Category = "Gpu")]
    public void EveryCallSeesOneWholeSetOfWeights(string backendName)
    {
        var backend = Backend(backendName);
        var spec = new RnnSpec(RnnCellKind.Gru, 4, 6, 2);
        var weightsA = RnnParameters.InitializeUniform(spec, 1);
        var weightsB = RnnParameters.InitializeUniform(spec, 2);
        var request = ToRequest(RandomInput(spec, new Random(3), 6, 3, varlen: true, withStates: false, batchFirst: false), threads: 1);
        float[] Alone(RnnParameters weights)
        {
            using var single = backend.CreateExecutor(weights, new RnnExecutorOptions(Threads: 1));
            var outputs = RnnOutputBuffers.Allocate(spec, request.SeqLen, request.Batch);
            single.Forward(request, outputs);
            return outputs.Output.ToArray();
        }
        float[] yA = Alone(weightsA), yB = Alone(weightsB);
        Assert.That(yA, Is.Not.EqualTo(yB), "the two weight sets must give different outputs, or a mix could hide");

        using var exec = backend.CreateExecutor(weightsA, new RnnExecutorOptions(Threads: 1));
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var start = new Barrier(Callers + 1);
        var threads = Enumerable.Range(0, Callers).Select(caller => new Thread(() =>
        {
            var outputs = RnnOutputBuffers.Allocate(spec, request.SeqLen, request.Batch);
            start.SignalAndWait();
            for (int call = 0; call < CallsPerCaller && failures.IsEmpty; call++)
            {
                try
                {
                    exec.Forward(request, outputs);
                }
                catch (Exception e)
                {
                    failures.Enqueue($"caller {caller} call {call}: {e.GetType().Name}: {e.Message}");
                    return;
                }
                var y = outputs.Output.Span;
                if (!y.SequenceEqual(yA) && !y.SequenceEqual(yB))
                    failures.Enqueue($"caller {caller} call {call}: the output matches neither weight set alone");
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        start.SignalAndWait();
        for (int i = 0; i < Updates && failures.IsEmpty; i++) exec.UpdateParameters(i % 2 == 0 ? weightsB : weightsA);
        foreach (var t in threads) t.Join();
        Assert.That(failures, Is.Empty);
    }
}
