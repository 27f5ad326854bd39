using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>
/// A run that scored none of the records it read did not succeed: it still writes its files, but exits 3 with one
/// line saying so. An input without records is not such a run.
/// </summary>
public class PredictAllFailedTests
{
    [Test]
    public void ARunWhoseEveryRecordFailedExitsThreeAndSaysSoAgainWhenRepeated()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        File.WriteAllLines(folder["in.jsonl"], ["{\"id\":1,\"tokens\":[99]}", "{\"id\":2,\"tokens\":[]}", "{\"id\":3,\"tokens\":[1,98]}"]);
        string[] command = ["predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"], "--backend", "managed", "--quiet"];

        var first = CliRunner.Run(command);
        Assert.That(first.ExitCode, Is.EqualTo(3), first.Err);
        Assert.That(first.Err.Trim(), Is.EqualTo($"rnn: every one of the 3 records failed and {folder["out.jsonl"]} holds no result; the reasons are in {folder["out.jsonl.errors.jsonl"]}."));
        Assert.That(File.ReadAllLines(folder["out.jsonl.errors.jsonl"]), Has.Length.EqualTo(3));
        Assert.That(File.ReadAllText(folder["out.jsonl"]), Is.Empty);

        // The finished run is not done again, and its answer does not change.
        var again = CliRunner.Run(command);
        Assert.That(again.ExitCode, Is.EqualTo(3), again.Err);
        Assert.That(again.Err, Does.Contain("every one of the 3 records failed"));
    }

    [Test]
    public void AnInputWithoutRecordsIsNotAFailedRun()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        File.WriteAllText(folder["in.jsonl"], "");
        var result = CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"], "--backend", "managed", "--quiet");
        Assert.That(result.ExitCode, Is.Zero, result.Err);
        Assert.That(result.Out, Does.StartWith("predict: 0 records (0 errors)"));
    }
}
