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
