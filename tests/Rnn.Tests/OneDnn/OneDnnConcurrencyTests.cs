using RnnNative.Interop.OneDnn;
using static RnnNative.Tests.OneDnn.OneDnnTestSupport;

namespace RnnNative.Tests.OneDnn;

/// <summary>Inference from several threads on one executor (the shim serializes them) gives each caller its own answer.</summary>
public class OneDnnConcurrencyTests
{
    [Test]
    public void ConcurrentInferenceOnOneExecutorMatchesSequentialResults()
    {
        RequireBackend();
        var spec = new RnnSpec(RnnCellKind.Lstm, 6, 8, 2, bidirectional: true);
        using var exec = OneDnnBackend.Instance.CreateExecutor(RnnParameters.InitializeUniform(spec, 3));
        // Different shapes and length patterns per caller, so a shared scratch buffer or cached view would show.
        var inputs = Enumerable.Range(0, 8)
            .Select(i => RandomInput(spec, new Random(i), 3 + i % 4, 2 + i % 3, i % 2 == 0 ? null : Enumerable.Range(0, 2 + i % 3).Select(k => 1 + (k + i) % (3 + i % 4)).ToArray(), i % 3 == 0, i % 2 == 1))
            .ToArray();
        var expected = inputs.Select(input => exec.Forward(input)).ToArray();

        var results = new RnnForwardResult[inputs.Length * 6];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = exec.Forward(inputs[i % inputs.Length]));

        for (int i = 0; i < results.Length; i++)
        {
            var want = expected[i % inputs.Length];
            Assert.That(results[i].Output.Span.ToArray(), Is.EqualTo(want.Output.Span.ToArray()), $"call {i}: y");
            Assert.That(results[i].Hidden.Span.ToArray(), Is.EqualTo(want.Hidden.Span.ToArray()), $"call {i}: h_n");
            Assert.That(results[i].Cell!.Span.ToArray(), Is.EqualTo(want.Cell!.Span.ToArray()), $"call {i}: c_n");
        }
    }
}
