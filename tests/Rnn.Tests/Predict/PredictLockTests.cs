using System.Diagnostics;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>Two runs on one output: the second is refused at once, naming the first's pid, and the first finishes untouched.</summary>
public class PredictLockTests
{
    [Test]
    public void ASecondRunOnTheSameOutputIsRefusedWhileTheFirstHoldsIt()
    {
        using var folder = new TempFolder();
        PredictFiles.WriteLongRun(folder["c.safetensors"], folder["in.jsonl"]);
        string[] args = ["predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"],
            "--backend", "managed", "--window", "60", "--max-batch-size", "16", "--quiet"];

        using var first = PredictFiles.Start(args);
        var clock = Stopwatch.StartNew();
        while (!first.HasExited && !File.Exists(folder["out.jsonl.manifest.json"]) && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(2);
        if (first.HasExited) Assert.Inconclusive($"the first run finished (exit {first.ExitCode}) before a second could start");

        var second = CliRunner.Run(args);
        bool overlapped = !first.HasExited;
        string firstErr = first.StandardError.ReadToEnd();
        Assert.That(first.WaitForExit(120_000), "the first run finished");
        if (!overlapped && second.ExitCode == 0) Assert.Inconclusive("the first run ended before the second started");
        Assert.That(second.ExitCode, Is.EqualTo(1), second.Err);
        Assert.That(second.ErrLines, Has.Length.EqualTo(1));
        Assert.That(second.Err, Does.Contain($"being written by another rnn predict (pid {first.Id})"));
        Assert.That(first.ExitCode, Is.Zero, firstErr);
        Assert.That(File.ReadAllLines(folder["out.jsonl"]).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("id").GetInt64()),
            Is.EqualTo(Enumerable.Range(0, 2400).Select(i => (long)i)), "the first run's output is whole and in order");

        var after = CliRunner.Run(args);
        Assert.That(after.ExitCode, Is.Zero, "the lock ends with its run");
    }
}
