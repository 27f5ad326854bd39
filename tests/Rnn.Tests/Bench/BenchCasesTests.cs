using RnnNative.Bench;
using RnnNative.Cli.Benchmarking;

namespace RnnNative.Tests.Bench;

/// <summary>Which rows the suite times, and its command line.</summary>
public class BenchCasesTests
{
    [Test]
    public void Int8_rows_exist_for_LSTM_configurations_only_and_every_configuration_has_the_peer_and_the_reference()
    {
        var cases = BenchWorkload.InferenceCases(StandardConfiguration.All).ToList();
        foreach (var c in StandardConfiguration.All)
        {
            var targets = cases.Where(x => x.Configuration == c).Select(x => x.Target).ToList();
            Assert.That(targets, Does.Contain(BackendTarget.OnnxRuntime).And.Contain(BackendTarget.Managed), c.Name);
            Assert.That(targets.Any(t => t.Precision == RnnPrecision.Int8), Is.EqualTo(c.Spec.Cell == RnnCellKind.Lstm && RnnBackends.Get("onednn").Supports(RnnPrecision.Int8)), c.Name);
            Assert.That(targets.Where(t => t.Callers > 1).All(t => t.Callers * t.ThreadsPerCall <= BenchWorkload.Threads), Is.True, "K callers × T threads fit the cores");
        }
    }

    [Test]
    public void The_managed_reference_runs_a_tenth_of_the_sequence_and_is_scaled_back()
    {
        var c = StandardConfiguration.All[0];
        var managed = new InferenceCase(c, BackendTarget.Managed);
        Assert.That(managed.Steps, Is.EqualTo(c.SeqLen / 10));
        Assert.That(managed.Scale, Is.EqualTo(10));
        Assert.That(new InferenceCase(c, BackendTarget.OnnxRuntime).Scale, Is.EqualTo(1));
    }

    [TestCase(new[] { "--records", "0" }, "--records needs a positive integer")]
    [TestCase(new[] { "--out" }, "--out needs a file")]
    [TestCase(new[] { "--fast" }, "unexpected: --fast")]
    [TestCase(new[] { "--short", "--predict-only" }, "--quick, --short and --predict-only are different runs; give one")]
    public void A_bad_command_line_is_refused_with_the_reason(string[] args, string reason)
    {
        Assert.That(BenchOptions.Parse(args, out var error), Is.Null);
        Assert.That(error, Is.EqualTo(reason));
    }

    [Test]
    public void The_command_line_is_read()
    {
        var options = BenchOptions.Parse(["--quick", "--records", "500", "--out", "x.md", "--write-predict-workload", "dir"], out var error);
        Assert.That(error, Is.Null);
        Assert.That(options, Is.EqualTo(new BenchOptions(true, false, "x.md", 500, "dir")));
        Assert.That(BenchOptions.Parse(["--predict-only"], out _), Is.EqualTo(new BenchOptions(false, false, null, null, null, PredictOnly: true)));
    }
}
