using System.Diagnostics;
using System.Text.Json;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>
/// The summary's seconds are the run's wall time, commits and the join included: with --window 1 a run is mostly
/// commits, which the summary used to leave out. Compared with what is seen of the real process from outside, in the
/// safe direction each way; nothing here depends on how fast the run is.
/// </summary>
public class PredictSummaryTimeTests
{
    [Test]
    public void TheSummarysSecondsCoverEveryCommitAndTheJoin()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        PredictFiles.WriteTokens(folder["in.jsonl"], 600, seed: 4);
        string output = folder["out.jsonl"], parts = output + ".parts";

        var started = DateTime.UtcNow;
        using var process = PredictFiles.Start("predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", output,
            "--backend", "managed", "--window", "1", "--summary", folder["summary.json"], "--quiet");
        var stderr = process.StandardError.ReadToEndAsync();
        // The parts folder is made after the run's clock starts; seen here no earlier than it was made.
        DateTime? partsSeen = null;
        var waited = Stopwatch.StartNew();
        while (!process.HasExited && partsSeen is null && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (Directory.Exists(parts)) partsSeen = DateTime.UtcNow;
            else Thread.Sleep(1);
        }
        Assert.That(process.WaitForExit(120_000), "finished");
        var exited = DateTime.UtcNow;
        Assert.That(process.ExitCode, Is.Zero, stderr.Result);
        if (partsSeen is null) Assert.Inconclusive("the run finished before its parts folder was seen");

        double seconds = JsonDocument.Parse(File.ReadAllText(folder["summary.json"])).RootElement.GetProperty("seconds").GetDouble();
        // The output's last write comes before the rename that ends the join, which comes before the clock stops.
        double seen = (File.GetLastWriteTimeUtc(output) - partsSeen.Value).TotalSeconds;
        Assert.That(seconds, Is.GreaterThanOrEqualTo(seen - 0.01), $"the summary says {seconds:F3} s; from the parts folder to the joined output took at least {seen:F3} s");
        Assert.That(seconds, Is.LessThanOrEqualTo((exited - started).TotalSeconds), "no more than the process's whole life");
    }
}
