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
        var input = RandomInput(spec, new Random(3), 6, 3, varlen: true, withStates: false, batchFirst: false);
        int seqLen = ToRequest(input).SeqLen, batch = ToRequest(input).Batch;
        float[] Alone(RnnParameters weights)
        {
            using var single = backend.CreateExecutor(weights, new RnnExecutorOptions(Threads: 1));
            var outputs = RnnOutputBuffers.Allocate(spec, seqLen, batch);
            single.Forward(ToRequest(input, threads: 1), outputs);
            return outputs.Output.ToArray();
        }
        float[] yA = Alone(weightsA), yB = Alone(weightsB);
        Assert.That(yA, Is.Not.EqualTo(yB), "the two weight sets must give different outputs, or a mix could hide");

        using var exec = backend.CreateExecutor(weightsA, new RnnExecutorOptions(Threads: 1));
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var start = new Barrier(Callers + 1);
        var threads = Enumerable.Range(0, Callers).Select(caller => new Thread(() =>
        {
            var (ySize, hSize, _) = RnnOutputBuffers.Sizes(spec, seqLen, batch);
            float[] output = new float[ySize], hidden = new float[hSize];
            start.SignalAndWait();
            for (int call = 0; call < CallsPerCaller && failures.IsEmpty; call++)
            {
                try
                {
                    exec.Forward(ToRequest(input, threads: 1), new RnnOutputBuffers(output, hidden));
                }
                catch (Exception e)
                {
                    failures.Enqueue($"caller {caller} call {call}: {e.GetType().Name}: {e.Message}");
                    return;
                }
                var y = output;
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
