using RnnNative.Bench.Limits;
using RnnNative.Cli.Benchmarking;

namespace RnnNative.Tests.Bench;

/// <summary>The GEMM ceiling probe calls oneDNN's own GEMMs from the libdnnl our backend loaded.</summary>
public class GemmCeilingProbeTests
{
    private static readonly GemmShape Tiny = new(8, 16, 12);

    [TestCase(GemmPrecision.F32)]
    [TestCase(GemmPrecision.Int8)]
    public void A_tiny_shape_gives_a_positive_finite_rate(GemmPrecision precision)
    {
        var probe = new GemmCeilingProbe(threads: 1, secondsPerRound: 0.001, rounds: 1);
        var rate = probe.Measure(precision, Tiny);
        Assert.That(rate.IsAvailable, Is.True, rate.Unavailable);
        Assert.That(double.IsFinite(rate.OperationsPerSecond) && rate.OperationsPerSecond > 0, Is.True, $"{rate.OperationsPerSecond}");
        Assert.That(probe.Source, Does.EndWith(".so.2").Or.Contain("libdnnl.so"));
    }

    [Test]
    public void Bf16_is_measured_where_the_CPU_has_AVX512_and_reported_na_with_the_reason_elsewhere()
    {
        var rate = new GemmCeilingProbe(threads: 1, secondsPerRound: 0.001, rounds: 1).Measure(GemmPrecision.Bf16, Tiny);
        if (GemmCeilingProbe.Bf16Unsupported(CpuInfo.Flags) is { } why)
            Assert.That(rate.Unavailable, Is.EqualTo(why));
        else
            Assert.That(rate.IsAvailable && rate.OperationsPerSecond > 0, Is.True, rate.Unavailable);
        Assert.That(GemmCeilingProbe.Bf16Unsupported(new HashSet<string> { "avx2", "fma" }), Does.Contain("AVX-512"));
    }

    [Test]
    public void The_gate_GEMMs_of_a_configuration_do_its_forward_operations()
    {
        foreach (var c in StandardConfiguration.All)
        {
            var shapes = GateGemms.For(c);
            Assert.That(GateGemms.TotalOperations(shapes), Is.EqualTo(c.Spec.ForwardFlops(c.Batch, c.SeqLen)).Within(1e-9).Percent, c.Name);
            Assert.That(shapes.Select(s => (s.M, s.N)).Distinct(), Is.EqualTo(new[] { ((long)c.SeqLen * c.Batch, (long)c.Spec.GateCount * c.Spec.HiddenSize) }),
                "every gate GEMM of the pass: M = T·batch, N = G·H");
        }
        // lstm-infer: layer 0 reads 256 inputs; its recurrent GEMM, and both of layer 1's, read 512 features.
        Assert.That(GateGemms.For(StandardConfiguration.All[0]), Is.EqualTo(new[] { new GemmShape(6400, 2048, 256, 1), new GemmShape(6400, 2048, 512, 3) }));
        // bilstm-infer: one layer, both directions.
        Assert.That(GateGemms.For(StandardConfiguration.All[2]), Is.EqualTo(new[] { new GemmShape(6400, 1024, 128, 2), new GemmShape(6400, 1024, 256, 2) }));
    }

    [Test]
    public void The_limit_is_the_operations_over_the_time_of_the_GEMM_list()
    {
        var limit = ConfigurationLimit.Combine("c", GemmPrecision.F32,
        [
            new GemmRate(GemmPrecision.F32, new GemmShape(10, 10, 10, 1), 100),  // 2000 ops in 20 s
            new GemmRate(GemmPrecision.F32, new GemmShape(10, 10, 5, 2), 50),    // 2000 ops in 40 s
        ]);
        Assert.That(limit.OperationsPerSecond, Is.EqualTo(4000.0 / 60).Within(1e-9));
        var missing = ConfigurationLimit.Combine("c", GemmPrecision.Bf16, [GemmRate.NotAvailable(GemmPrecision.Bf16, new GemmShape(1, 1, 1), "why")]);
        Assert.That(missing.IsAvailable, Is.False);
        Assert.That(missing.Unavailable, Is.EqualTo("why"));
    }
}
