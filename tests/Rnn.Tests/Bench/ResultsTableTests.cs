using RnnNative.Bench;
using RnnNative.Bench.Limits;

namespace RnnNative.Tests.Bench;

/// <summary>The table renders ratios and the limit column from given numbers (no measurement involved).</summary>
public class ResultsTableTests
{
    // ORT 10 ms; ours 4 ms and 20 ms per batch for 0.5 GFLOP: 125 and 25 GFLOP/s against a 250 GFLOP/s f32 ceiling.
    private static readonly BenchRow Peer = new("inference", "cfg", ResultsTable.PeerTarget, 10e6, 0.5e9, GemmPrecision.F32);
    private static readonly BenchRow Fast = new("inference", "cfg", "onednn-f32", 4e6, 0.5e9, GemmPrecision.F32);
    private static readonly BenchRow Slow = new("inference", "cfg", "onednn-bf16", 20e6, 0.5e9, GemmPrecision.Bf16);
    private static readonly BenchRow Training = new("training", "cfg", "onednn-f32", 30e6, 1.5e9);

    private static readonly GemmShape Shape = new(64, 2048, 512, 100);
    private static readonly ConfigurationLimit F32Limit = new("cfg", GemmPrecision.F32, [new GemmRate(GemmPrecision.F32, Shape, 250e9)], 250e9);
    private static readonly ConfigurationLimit Bf16Missing = new("cfg", GemmPrecision.Bf16, [], double.NaN, "no AVX-512");

    private static string Render(IReadOnlyList<PredictRow>? predict = null) => ResultsTable.Write(new BenchReport(
        [Peer, Fast, Slow, Training], [F32Limit, Bf16Missing], predict ?? [], [("CPU", "Test CPU 9000"), ("date (UTC)", "2026-01-02 03:04")], ["a note"]));

    [Test]
    public void Ratios_are_ORT_time_over_ours_and_the_limit_is_the_rate_over_the_ceiling()
    {
        string md = Render();
        Assert.That(md, Does.Contain("| cfg | onednn-f32 | 2.50× | 50% |"));
        Assert.That(md, Does.Contain("| cfg | onnxruntime-f32 | 1.00× | 20% |"));
        Assert.That(md, Does.Contain("| cfg | onednn-bf16 | 0.50× | n/a |"), "a ceiling that could not be measured says so");
        Assert.That(md, Does.Contain("| inference | cfg | onednn-f32 | 4.00 | 125.0 | 250.0 |"));
        Assert.That(md, Does.Contain("| training | cfg | onednn-f32 | 30.00 | 50.0 | – |"));
        Assert.That(md, Does.Contain("| cfg | dnnl_sgemm | 250.0 GFLOP/s | 64×2048×512 ×100: 250.0 |"));
        Assert.That(md, Does.Contain("n/a: no AVX-512"));
    }

    [Test]
    public void Ratios_come_first_then_absolute_figures_then_the_machine_and_date()
    {
        string md = Render();
        int ratios = md.IndexOf("× ONNX Runtime", StringComparison.Ordinal);
        int absolute = md.IndexOf("### Absolute figures", StringComparison.Ordinal);
        int machine = md.IndexOf("### Machine", StringComparison.Ordinal);
        Assert.That(ratios, Is.GreaterThanOrEqualTo(0));
        Assert.That(absolute, Is.GreaterThan(ratios));
        Assert.That(machine, Is.GreaterThan(absolute));
        Assert.That(md[machine..], Does.Contain("- CPU: Test CPU 9000").And.Contain("- date (UTC): 2026-01-02 03:04"));
    }

    [Test]
    public void The_workload_table_gives_sequences_per_second_over_ORT_and_padding_efficiency()
    {
        string md = Render([
            new PredictRow("onednn-f32 BatchPredictor", 20000, 10, 0.95, "length-bucketed"),
            new PredictRow(ResultsTable.PredictPeer + "-f32 (whole graph)", 20000, 40, 0.2, "arrival order"),
        ]);
        Assert.That(md, Does.Contain("| onednn-f32 BatchPredictor | length-bucketed | 4.00× | 2000 | 0.950 | 20000 | 10.00 |"));
        Assert.That(md, Does.Contain("| onnxruntime-f32 (whole graph) | arrival order | 1.00× | 500 | 0.200 | 20000 | 40.00 |"));
    }
}
