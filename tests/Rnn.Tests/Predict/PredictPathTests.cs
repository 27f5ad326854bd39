using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>
/// rnn predict and merge refuse, before anything is written, a command whose files alias one another (also through a
/// symbolic link) or whose outputs cannot be written: no such command may destroy an input, the model or an output.
/// </summary>
public class PredictPathTests
{
    private static (TempFolder Folder, string[] Common) Setup()
    {
        var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        PredictFiles.WriteTokens(folder["in.jsonl"], 20, seed: 3);
        return (folder, ["predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--backend", "managed", "--quiet"]);
    }

    private static void AssertRefused(CliResult result, string message, TempFolder folder, byte[] input, byte[] model)
    {
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Err);
        Assert.That(result.ErrLines, Has.Length.EqualTo(1), result.Err);
        Assert.That(result.Err, Does.Contain(message));
        Assert.That(File.ReadAllBytes(folder["in.jsonl"]), Is.EqualTo(input), "the input is untouched");
        Assert.That(File.ReadAllBytes(folder["c.safetensors"]), Is.EqualTo(model), "the model is untouched");
    }

    [Test]
    public void FilesThatAliasAreRefusedBeforeAnythingIsWritten()
    {
        var (folder, common) = Setup();
        using var _ = folder;
        byte[] input = File.ReadAllBytes(folder["in.jsonl"]), model = File.ReadAllBytes(folder["c.safetensors"]);
        File.CreateSymbolicLink(folder["link.jsonl"], folder["in.jsonl"]);
        Directory.CreateDirectory(folder["sub"]);
        File.CreateSymbolicLink(folder["alias"], folder["sub"]);

        foreach (var (args, message) in new (string[], string)[]
        {
            (["--output", folder["out.jsonl"], "--errors", folder["in.jsonl"]], "--errors"),
            (["--output", folder["in.jsonl"]], "--output"),
            (["--output", folder["link.jsonl"]], "--output"),
            (["--output", folder["out.jsonl"], "--errors", folder["out.jsonl"]], "--errors"),
            (["--output", folder["out.jsonl"], "--summary", folder["c.safetensors"]], "--summary"),
            (["--output", folder["out.jsonl"], "--summary", folder["out.jsonl.manifest.json"]], "manifest"),
            (["--output", folder["out.jsonl"], "--errors", folder["out.jsonl.parts/e.jsonl"]], "parts folder"),
            (["--output", folder["sub/out.jsonl"], "--errors", folder["alias/out.jsonl"]], "--errors"),
        })
        {
            var result = CliRunner.Run([.. common, .. args]);
            AssertRefused(result, message, folder, input, model);
            Assert.That(result.Err, Does.Contain("same file").Or.Contain("inside"), string.Join(' ', args));
            Assert.That(File.Exists(folder["out.jsonl"]) || File.Exists(folder["sub/out.jsonl"]), Is.False, string.Join(' ', args));
            Assert.That(File.Exists(folder["out.jsonl.manifest.json"]) || Directory.Exists(folder["out.jsonl.parts"]), Is.False, "nothing was started");
        }
    }

    [Test]
    public void AnOutputThatIsAFolderIsRefusedBeforeTheRun()
    {
        var (folder, common) = Setup();
        using var _ = folder;
        byte[] input = File.ReadAllBytes(folder["in.jsonl"]), model = File.ReadAllBytes(folder["c.safetensors"]);
        Directory.CreateDirectory(folder["d.jsonl"]);
        Directory.CreateDirectory(folder["s"]);
        foreach (var args in new[]
        {
            new[] { "--output", folder["d.jsonl"] },
            ["--output", folder["out.jsonl"], "--errors", folder["d.jsonl"]],
            ["--output", folder["out.jsonl"], "--summary", folder["s"]],
        })
        {
            AssertRefused(CliRunner.Run([.. common, .. args]), "is a folder", folder, input, model);
            Assert.That(File.Exists(folder["out.jsonl"]) || File.Exists(folder["out.jsonl.manifest.json"]), Is.False, "refused before the run, not after it");
        }
    }

    [Test]
    public void MergeRefusesAnOutputThatIsOneOfItsShards()
    {
        var (folder, common) = Setup();
        using var _ = folder;
        for (int i = 0; i < 2; i++)
            Assert.That(CliRunner.Run([.. common, "--output", folder[$"s{i}.jsonl"], "--shard-index", $"{i}", "--num-shards", "2"]).ExitCode, Is.Zero);
        byte[] shard = File.ReadAllBytes(folder["s0.jsonl"]), errors = File.ReadAllBytes(folder["s1.jsonl.errors.jsonl"]);
        foreach (var args in new[]
        {
            new[] { "--output", folder["s0.jsonl"] },
            ["--output", folder["m.jsonl"], "--errors", folder["s1.jsonl.errors.jsonl"]],
        })
        {
            var result = CliRunner.Run(["predict", "merge", .. args, folder["s0.jsonl"], folder["s1.jsonl"]]);
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Err);
            Assert.That(result.Err, Does.Contain("same file"));
        }
        Assert.That(File.ReadAllBytes(folder["s0.jsonl"]), Is.EqualTo(shard));
        Assert.That(File.ReadAllBytes(folder["s1.jsonl.errors.jsonl"]), Is.EqualTo(errors));
    }

    [Test]
    public void ARunNeverReadsItsOwnOutputsThroughAGlob()
    {
        var (folder, _) = Setup();
        using var __ = folder;
        Directory.CreateDirectory(folder["d"]);
        File.Move(folder["in.jsonl"], folder["d/in.jsonl"]);
        string[] args = ["predict", "--model", folder["c.safetensors"], "--input", folder["d/*.jsonl"], "--output", folder["d/out.jsonl"],
            "--summary", folder["d/s.jsonl"], "--backend", "managed", "--quiet"];
        var first = CliRunner.Run(args);
        Assert.That(first.ExitCode, Is.Zero, first.Err);
        byte[] output = File.ReadAllBytes(folder["d/out.jsonl"]);
        for (int run = 0; run < 2; run++)
        {
            var again = CliRunner.Run(args);
            Assert.That(again.ExitCode, Is.Zero, again.Err);
            Assert.That(again.Out, Does.StartWith("predict: 20 records (0 errors)"), "re-running a finished command changes nothing");
            Assert.That(File.ReadAllBytes(folder["d/out.jsonl"]), Is.EqualTo(output));
            Assert.That(File.ReadAllText(folder["d/out.jsonl.errors.jsonl"]), Is.Empty);
        }
    }
}
