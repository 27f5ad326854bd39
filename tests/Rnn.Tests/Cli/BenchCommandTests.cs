using System.Text.Json;

namespace RnnNative.Tests.Cli;

/// <summary><c>rnn bench</c> output: the fields and the FLOP count it reports (not how fast anything is).</summary>
public class BenchCommandTests
{
    private static readonly string[] TinyGru =
        ["bench", "--mode", "gru", "--input-size", "3", "--hidden-size", "4", "--layers", "1", "--batch", "2", "--seq-len", "3", "--seconds", "0.02", "--backend", "managed"];

    // 2·G·H·(in + H)·N·T for GRU (G = 3), hidden 4, input 3, N = 2, T = 3.
    private const double ForwardFlops = 2.0 * 3 * 4 * (3 + 4) * 2 * 3;

    private static JsonElement JsonLine(CliResult run)
    {
        Assert.That(run.ExitCode, Is.Zero, run.Err);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), "one JSON object per line");
        return JsonDocument.Parse(lines[0]).RootElement.Clone();
    }

    [Test]
    public void JsonHasTheRatesAndTheConfiguration()
    {
        var json = JsonLine(CliRunner.Run([.. TinyGru, "--json", "--threads", "1"]));
        Assert.That(json.GetProperty("ms_per_batch").GetDouble(), Is.GreaterThan(0));
        Assert.That(json.GetProperty("seq_per_s").GetDouble(), Is.GreaterThan(0));
        Assert.That(json.GetProperty("gflops").GetDouble(), Is.GreaterThan(0));
        Assert.That(json.GetProperty("iterations").GetInt32(), Is.GreaterThanOrEqualTo(1));
        Assert.That(json.GetProperty("flops_per_batch").GetDouble(), Is.EqualTo(ForwardFlops));
        Assert.That(json.GetProperty("backend").GetString(), Is.EqualTo("managed"));
        Assert.That(json.GetProperty("mode").GetString(), Is.EqualTo("gru"));
        Assert.That(json.GetProperty("batch").GetInt32(), Is.EqualTo(2));
        Assert.That(json.GetProperty("seq_len").GetInt32(), Is.EqualTo(3));
        Assert.That(json.GetProperty("threads").GetInt32(), Is.EqualTo(1));
        Assert.That(json.GetProperty("train").GetBoolean(), Is.False);

        // The three rates are one measurement seen three ways.
        double seconds = json.GetProperty("ms_per_batch").GetDouble() / 1000;
        Assert.That(json.GetProperty("seq_per_s").GetDouble(), Is.EqualTo(2 / seconds).Within(1e-6).Percent);
        Assert.That(json.GetProperty("gflops").GetDouble(), Is.EqualTo(ForwardFlops / seconds / 1e9).Within(1e-6).Percent);
    }

    [Test]
    public void JsonHasTheCallersTheirLatenciesAndThePeakMemory()
    {
        var json = JsonLine(CliRunner.Run([.. TinyGru, "--json", "--threads", "1", "--callers", "3"]));
        Assert.That(json.GetProperty("callers").GetInt32(), Is.EqualTo(3));
        Assert.That(json.GetProperty("threads").GetInt32(), Is.EqualTo(1));
        Assert.That(json.GetProperty("cores").GetInt32(), Is.EqualTo(Environment.ProcessorCount));
        Assert.That(json.GetProperty("iterations").GetInt32(), Is.GreaterThanOrEqualTo(3), "each caller makes at least one timed call");
        double p50 = json.GetProperty("latency_ms_p50").GetDouble(), p99 = json.GetProperty("latency_ms_p99").GetDouble();
        Assert.That(p50, Is.GreaterThan(0));
        Assert.That(p99, Is.GreaterThanOrEqualTo(p50));
        // y (3, 2, 4) and h_n (1, 2, 4) in f32, for each of the 3 callers.
        Assert.That(json.GetProperty("caller_buffers_mb").GetDouble(), Is.EqualTo(3 * (24 + 8) * 4 / (1024.0 * 1024.0)).Within(1e-9));
        var rss = json.GetProperty("peak_rss_mb");
        if (OperatingSystem.IsLinux()) Assert.That(rss.GetDouble(), Is.GreaterThan(1));
        else Assert.That(rss.ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public void OneCallerIsTheDefault()
    {
        var json = JsonLine(CliRunner.Run([.. TinyGru, "--json"]));
        Assert.That(json.GetProperty("callers").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void TextReportsLatencyAndMemoryAndWarnsWhenCallersOversubscribeTheCores()
    {
        // The managed reference runs a call on one thread, so the cores are oversubscribed by one caller more than cores.
        int callers = Environment.ProcessorCount + 1;
        var run = CliRunner.Run([.. TinyGru, "--callers", callers.ToString(System.Globalization.CultureInfo.InvariantCulture), "--threads", "1"]);
        Assert.That(run.ExitCode, Is.Zero, run.Err);
        Assert.That(run.Out, Does.Contain($"callers={callers}").And.Contain("latency per call: p50").And.Contain("p99"));
        Assert.That(run.Out, Does.Contain("the calls compete for cores"));
        if (OperatingSystem.IsLinux()) Assert.That(run.Out, Does.Contain("peak resident memory"));

        var fits = CliRunner.Run([.. TinyGru, "--callers", "1", "--threads", "1"]);
        Assert.That(fits.Out, Does.Not.Contain("compete for cores"));
    }

    [Test]
    public void AllocatedOutputsAreTheComparableFormAndSaySo()
    {
        var callerBuffers = JsonLine(CliRunner.Run([.. TinyGru, "--json"]));
        Assert.That(callerBuffers.GetProperty("outputs").GetString(), Is.EqualTo("caller buffers"));
        var allocated = JsonLine(CliRunner.Run([.. TinyGru, "--json", "--allocate-outputs", "--callers", "2"]));
        Assert.That(allocated.GetProperty("outputs").GetString(), Is.EqualTo("allocated per call"));
        Assert.That(allocated.GetProperty("caller_buffers_mb").GetDouble(), Is.Zero, "the callers own no buffers");
        Assert.That(allocated.GetProperty("iterations").GetInt32(), Is.GreaterThanOrEqualTo(2));

        var refused = CliRunner.Run([.. TinyGru, "--allocate-outputs", "--train"]);
        Assert.That(refused.ExitCode, Is.EqualTo(2));
        Assert.That(refused.ErrLines, Has.Length.EqualTo(1));
        Assert.That(refused.Err, Does.Contain("--allocate-outputs is for inference"));
    }

    [TestCase("0", "--callers must be between 1 and 1024; got 0.")]
    [TestCase("-2", "--callers must be between 1 and 1024; got -2.")]
    [TestCase("1025", "--callers must be between 1 and 1024; got 1025.")]
    [TestCase("two", "two")]
    public void BadCallersGiveOneLineAndExitCode2(string value, string expected)
    {
        var run = CliRunner.Run([.. TinyGru, "--callers", value]);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.Err);
        Assert.That(run.ErrLines, Has.Length.EqualTo(1), run.Err);
        Assert.That(run.Err, Does.StartWith("rnn: ").And.Contain(expected));
        Assert.That(run.Out, Is.Empty, "nothing measured");
    }

    [Test]
    public void TrainingCountsThreeTimesTheForwardFlopsAndSaysSo()
    {
        var json = JsonLine(CliRunner.Run([.. TinyGru, "--json", "--train", "--bidirectional"]));
        Assert.That(json.GetProperty("flops_per_batch").GetDouble(), Is.EqualTo(3 * 2 * ForwardFlops));
        Assert.That(json.GetProperty("train").GetBoolean(), Is.True);
        Assert.That(json.GetProperty("flops_counting").GetString(), Does.Contain("3x forward"));

        var text = CliRunner.Run([.. TinyGru, "--train"]);
        Assert.That(text.ExitCode, Is.Zero, text.Err);
        Assert.That(text.Out, Does.Contain("3× the forward FLOPs"));
    }

    [Test]
    public void TextNamesTheConfigurationAndTheRates()
    {
        var run = CliRunner.Run(TinyGru);
        Assert.That(run.ExitCode, Is.Zero, run.Err);
        Assert.That(run.Out, Does.Contain("gru(input=3, hidden=4, layers=1)").And.Contain("N=2 T=3").And.Contain("managed"));
        Assert.That(run.Out, Does.Contain("ms per batch").And.Contain("sequences/s").And.Contain("GFLOP/s"));
    }
}
