using System.Diagnostics;
using System.Text.Json;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>
/// rnn predict as real processes: killed with SIGKILL mid-run and run again, its output is byte-identical to an
/// uninterrupted run's; three shards run as three processes merge into exactly a single run's output and errors.
/// </summary>
public class PredictProcessTests
{
    [Test]
    public void AKilledRunResumesFromItsLastChunkAndWritesTheSameBytes()
    {
        using var folder = new TempFolder();
        PredictFiles.WriteLongRun(folder["c.safetensors"], folder["in.jsonl"]);
        string[] Args(string output) => ["predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", output,
            "--backend", "managed", "--window", "60", "--max-batch-size", "16", "--workers", "2", "--quiet"];

        var reference = CliRunner.Run(Args(folder["reference.jsonl"]));
        Assert.That(reference.ExitCode, Is.Zero, reference.Err);

        string output = folder["out.jsonl"], manifest = output + ".manifest.json";
        int committed = 0;
        using (var process = PredictFiles.Start(Args(output)))
        {
            var clock = Stopwatch.StartNew();
            while (!process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                committed = CommittedChunks(manifest);
                if (committed >= 3) break;
                Thread.Sleep(2);
            }
            if (process.HasExited) Assert.Inconclusive($"the run finished (exit {process.ExitCode}) before it could be killed");
            process.Kill(); // SIGKILL on Linux: no chance to clean up
            process.WaitForExit();
        }
        Assert.That(committed, Is.GreaterThanOrEqualTo(3));
        Assert.That(File.Exists(output), Is.False, "a killed run leaves no final output");
        int atKill = CommittedChunks(manifest);
        Assert.That(atKill, Is.LessThan(40), "killed before the end (40 chunks)");

        var resumed = PredictFiles.Run([.. Args(output)[..^1]]);
        Assert.That(resumed.ExitCode, Is.Zero, resumed.Err);
        Assert.That(resumed.Err, Does.Contain($"after {atKill} committed chunk(s) ({atKill * 60} records)"));
        Assert.That(File.ReadAllBytes(output), Is.EqualTo(File.ReadAllBytes(folder["reference.jsonl"])), "resumed output equals the uninterrupted run byte for byte");
        Assert.That(File.ReadAllLines(output), Has.Length.EqualTo(2400));
    }

    [Test]
    public void ThreeShardProcessesMergeIntoASingleRunsOutputAndErrors()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        var rng = new Random(12);
        Directory.CreateDirectory(folder["in"]);
        File.WriteAllLines(folder["in/a.jsonl"], Enumerable.Range(0, 50).Select(i => i % 11 == 4 ? "not json" : $"{{\"id\":{i},\"tokens\":[{string.Join(',', Enumerable.Range(0, rng.Next(1, 9)).Select(_ => rng.Next(PredictFiles.Vocabulary)))}]}}"));
        File.WriteAllLines(folder["in/b.jsonl"], Enumerable.Range(50, 31).Select(i => i % 7 == 0 ? $"{{\"id\":{i},\"tokens\":[42]}}" : $"{{\"id\":{i},\"tokens\":[1,{i % PredictFiles.Vocabulary}]}}"));
        string[] Args(string output) => ["predict", "--model", folder["c.safetensors"], "--input", folder["in/*.jsonl"], "--output", output, "--backend", "managed", "--window", "6", "--quiet"];

        var shards = Enumerable.Range(0, 3).Select(i => PredictFiles.Start([.. Args(folder[$"s{i}.jsonl"]), "--shard-index", $"{i}", "--num-shards", "3"])).ToList();
        foreach (var p in shards)
        {
            string err = p.StandardError.ReadToEnd();
            Assert.That(p.WaitForExit(120_000), "shard finished");
            Assert.That(p.ExitCode, Is.Zero, err);
            p.Dispose();
        }
        var merge = CliRunner.Run("predict", "merge", "--output", folder["merged.jsonl"], folder["s2.jsonl"], folder["s0.jsonl"], folder["s1.jsonl"]);
        Assert.That(merge.ExitCode, Is.Zero, merge.Err);
        var single = CliRunner.Run(Args(folder["single.jsonl"]));
        Assert.That(single.ExitCode, Is.Zero, single.Err);

        Assert.That(File.ReadAllBytes(folder["merged.jsonl"]), Is.EqualTo(File.ReadAllBytes(folder["single.jsonl"])));
        Assert.That(File.ReadAllBytes(folder["merged.jsonl.errors.jsonl"]), Is.EqualTo(File.ReadAllBytes(folder["single.jsonl.errors.jsonl"])));
        int outputs = File.ReadAllLines(folder["single.jsonl"]).Length, errors = File.ReadAllLines(folder["single.jsonl.errors.jsonl"]).Length;
        Assert.That((outputs, errors), Is.EqualTo((81 - 9, 9)), "5 malformed lines, 4 with a token outside the vocabulary");
        var shardLines = Enumerable.Range(0, 3).Sum(i => File.ReadAllLines(folder[$"s{i}.jsonl"]).Length);
        Assert.That(shardLines, Is.EqualTo(outputs), "the shards split the records without overlap");
    }

    [Test]
    public void ParquetShardsMergeIntoTheSingleRunsFile()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        var lines = File.ReadAllLines(WriteMixedIds(folder["in.jsonl"]));
        string[] Args(string output) => ["predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", output, "--backend", "managed", "--window", "4", "--quiet"];
        for (int i = 0; i < 2; i++) Assert.That(CliRunner.Run([.. Args(folder[$"s{i}.parquet"]), "--shard-index", $"{i}", "--num-shards", "2"]).ExitCode, Is.Zero);
        Assert.That(CliRunner.Run("predict", "merge", "--output", folder["m.parquet"], folder["s0.parquet"], folder["s1.parquet"]).ExitCode, Is.Zero);
        Assert.That(CliRunner.Run(Args(folder["single.parquet"])).ExitCode, Is.Zero);
        Assert.That(File.ReadAllBytes(folder["m.parquet"]), Is.EqualTo(File.ReadAllBytes(folder["single.parquet"])));
        Assert.That(lines, Has.Length.EqualTo(23));
    }

    [Test]
    public void MergeRefusesShardsOfDifferentRuns()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        PredictFiles.WriteTokens(folder["in.jsonl"], 9, seed: 1);
        string[] Args(string output, int shard, string window) => ["predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", output,
            "--backend", "managed", "--window", window, "--quiet", "--shard-index", $"{shard}", "--num-shards", "2"];
        Assert.That(CliRunner.Run(Args(folder["s0.jsonl"], 0, "4")).ExitCode, Is.Zero);
        Assert.That(CliRunner.Run(Args(folder["s1.jsonl"], 1, "5")).ExitCode, Is.Zero);
        var merge = CliRunner.Run("predict", "merge", "--output", folder["m.jsonl"], folder["s0.jsonl"], folder["s1.jsonl"]);
        Assert.That(merge.ExitCode, Is.EqualTo(2));
        Assert.That(merge.Err, Does.Contain("comes from a different run").And.Contain("window"));
        var missing = CliRunner.Run("predict", "merge", "--output", folder["m.jsonl"], folder["s0.jsonl"]);
        Assert.That(missing.ExitCode, Is.EqualTo(2));
        Assert.That(missing.Err, Does.Contain("every shard 0..1"));
    }

    /// <summary>String and integer ids mixed, and one bad record: the Parquet id column becomes string in both runs.</summary>
    private static string WriteMixedIds(string path)
    {
        var rng = new Random(3);
        File.WriteAllLines(path, Enumerable.Range(0, 23).Select(i => i == 9 ? "{\"id\":9,\"tokens\":[]}"
            : $"{{\"id\":{(i % 3 == 0 ? $"\"k{i}\"" : $"{i}")},\"tokens\":[{string.Join(',', Enumerable.Range(0, rng.Next(1, 7)).Select(_ => rng.Next(PredictFiles.Vocabulary)))}]}}"));
        return path;
    }

    /// <summary>The chunks the manifest lists, and those committed since, one whole line each in the parts folder's journal.</summary>
    private static int CommittedChunks(string manifest)
    {
        string journal = Path.Combine(manifest[..^".manifest.json".Length] + ".parts", "journal.jsonl");
        try
        {
            int listed = File.Exists(manifest) ? JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("chunks").GetArrayLength() : 0;
            return listed + (File.Exists(journal) ? File.ReadAllText(journal).Count(c => c == '\n') : 0);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return 0; // replaced while being read
        }
    }
}
