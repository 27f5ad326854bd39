using System.Diagnostics;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>What rnn predict tells the operator: a run stopped by a signal says how to resume it; more threads than cores are named.</summary>
public class PredictOperatorMessageTests
{
    [Test]
    public void ARunStoppedBySigtermSaysTheSameCommandResumesIt()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("sends SIGTERM with kill(1)");
        using var folder = new TempFolder();
        PredictFiles.WriteLongRun(folder["c.safetensors"], folder["in.jsonl"]);
        string[] args = ["predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"],
            "--backend", "managed", "--window", "60", "--max-batch-size", "16", "--quiet"];

        using var run = PredictFiles.Start(args);
        var stderr = run.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!run.HasExited && !Directory.Exists(folder["out.jsonl.parts"]) && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(2);
        if (run.HasExited) Assert.Inconclusive($"the run finished (exit {run.ExitCode}) before it could be stopped");
        using (var kill = Process.Start("kill", ["-TERM", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        Assert.That(run.WaitForExit(60_000), "the run stopped");
        if (run.ExitCode == 0) Assert.Inconclusive("the run finished before the signal arrived");
        string err = stderr.Result;
        Assert.That(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), err);
        Assert.That(err, Does.Contain("stopped by SIGTERM").And.Contain("the same command resumes it"));

        var resumed = PredictFiles.Run(args);
        Assert.That(resumed.ExitCode, Is.Zero, resumed.Err);
        Assert.That(File.ReadAllLines(folder["out.jsonl"]), Has.Length.EqualTo(2400));
    }

    [Test]
    public void MoreThreadsThanCoresAreNamed()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        PredictFiles.WriteTokens(folder["in.jsonl"], 5, seed: 1);
        int threads = Environment.ProcessorCount + 1;
        var result = CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"],
            "--backend", "managed", "--threads", $"{threads}", "--quiet");
        Assert.That(result.ExitCode, Is.Zero, result.Err);
        Assert.That(result.Err, Does.Contain($"{threads} threads on {Environment.ProcessorCount} cores"));
    }
}
