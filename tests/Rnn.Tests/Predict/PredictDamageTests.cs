using System.Text.Json.Nodes;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>
/// Committed chunks, a finished output or a manifest damaged between runs (truncated, a byte flipped, two chunks
/// swapped, record counts edited, nulls) are computed again or refused; never joined into an output with exit 0.
/// </summary>
public class PredictDamageTests
{
    private static (TempFolder Folder, Func<string, string[]> Args) Setup()
    {
        var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        var rng = new Random(5);
        File.WriteAllLines(folder["in.jsonl"], Enumerable.Range(0, 100).Select(i => i == 55 ? $"{{\"id\":{i},\"tokens\":[99]}}"
            : $"{{\"id\":{i},\"tokens\":[{string.Join(',', Enumerable.Range(0, rng.Next(1, 9)).Select(_ => rng.Next(PredictFiles.Vocabulary)))}]}}"));
        string[] Args(string output) => ["predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder[output], "--backend", "managed", "--window", "10", "--quiet"];
        Assert.That(CliRunner.Run(Args("reference.jsonl")).ExitCode, Is.Zero);
        return (folder, Args);
    }

    /// <summary>A run stopped by --max-errors 0 at record 55: five committed chunks of ten.</summary>
    private static void Stopped(Func<string, string[]> args, string output) =>
        Assert.That(CliRunner.Run([.. args(output), "--max-errors", "0"]).ExitCode, Is.EqualTo(3));

    private static void EditManifest(string path, Action<JsonNode> edit)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }

    [Test]
    public void DamagedCommittedChunksAreComputedAgainNeverJoined()
    {
        var (folder, args) = Setup();
        using var _ = folder;
        var damages = new (string Name, Action<string> Damage)[]
        {
            ("truncated", o => { using var f = File.OpenWrite(Chunk(o, 2)); f.SetLength(f.Length - 10); }),
            ("flipped", o => { var b = File.ReadAllBytes(Chunk(o, 1)); b[40] ^= 0x01; File.WriteAllBytes(Chunk(o, 1), b); }),
            ("swapped", o => { File.Move(Chunk(o, 1), o + ".x"); File.Move(Chunk(o, 3), Chunk(o, 1)); File.Move(o + ".x", Chunk(o, 3)); }),
            ("last count edited", o => EditManifest(o + ".manifest.json", m => m["chunks"]![4]!["records"] = 5)),
            ("middle count edited", o => EditManifest(o + ".manifest.json", m => m["chunks"]![1]!["records"] = 12)),
        };
        foreach (var (name, damage) in damages)
        {
            string output = folder[$"{name.Replace(' ', '-')}.jsonl"];
            Stopped(args, Path.GetFileName(output));
            damage(output);
            var resumed = CliRunner.Run(args(Path.GetFileName(output)));
            Assert.That(resumed.ExitCode, Is.Zero, $"{name}: {resumed.Err}");
            Assert.That(resumed.Err, Does.Contain("does not match its manifest"), name);
            Assert.That(resumed.Out, Does.StartWith("predict: 100 records (1 errors)"), name);
            Assert.That(File.ReadAllBytes(output), Is.EqualTo(File.ReadAllBytes(folder["reference.jsonl"])), name);
            Assert.That(File.ReadAllBytes(output + ".errors.jsonl"), Is.EqualTo(File.ReadAllBytes(folder["reference.jsonl.errors.jsonl"])), name);
        }
    }

    private static string Chunk(string output, int index) => Path.Combine(output + ".parts", $"chunk-{index:D6}.jsonl");

    [Test]
    public void ADamagedFinishedOutputIsNotCalledComplete()
    {
        var (folder, args) = Setup();
        using var _ = folder;
        using (var f = File.OpenWrite(folder["reference.jsonl"])) f.SetLength(f.Length / 2);
        var again = CliRunner.Run(args("reference.jsonl"));
        Assert.That(again.ExitCode, Is.Zero, again.Err);
        Assert.That(again.Err, Does.Contain("not what this command wrote; running it again"));
        Assert.That(CliRunner.Run(args("whole.jsonl")).ExitCode, Is.Zero);
        Assert.That(File.ReadAllBytes(folder["reference.jsonl"]), Is.EqualTo(File.ReadAllBytes(folder["whole.jsonl"])));
    }

    [Test]
    public void AManifestWithNullsIsRefusedInOneLine()
    {
        var (folder, args) = Setup();
        using var _ = folder;
        Stopped(args, "out.jsonl");
        foreach (var (field, edit) in new (string, Action<JsonNode>)[]
        {
            ("chunks[2]", m => m["chunks"]![2] = null),
            ("chunks", m => m["chunks"] = null),
            ("identity", m => m["identity"] = null),
            ("chunks[0].error_positions", m => m["chunks"]![0]!["error_positions"] = null),
        })
        {
            string saved = File.ReadAllText(folder["out.jsonl.manifest.json"]);
            EditManifest(folder["out.jsonl.manifest.json"], edit);
            var result = CliRunner.Run(args("out.jsonl"));
            Assert.That(result.ExitCode, Is.EqualTo(2), field);
            Assert.That(result.ErrLines, Has.Length.EqualTo(1), field);
            Assert.That(result.Err, Does.Contain($"damaged manifest ({field} is missing or null)"), field);
            File.WriteAllText(folder["out.jsonl.manifest.json"], saved);
        }
    }

    [Test]
    public void MergeRefusesADamagedShard()
    {
        var (folder, args) = Setup();
        using var _ = folder;
        for (int i = 0; i < 2; i++)
            Assert.That(CliRunner.Run([.. args($"s{i}.jsonl"), "--shard-index", $"{i}", "--num-shards", "2"]).ExitCode, Is.Zero);
        var bytes = File.ReadAllBytes(folder["s1.jsonl"]);
        bytes[30] ^= 0x01;
        File.WriteAllBytes(folder["s1.jsonl"], bytes);
        var merge = CliRunner.Run("predict", "merge", "--output", folder["m.jsonl"], folder["s0.jsonl"], folder["s1.jsonl"]);
        Assert.That(merge.ExitCode, Is.EqualTo(2), merge.Err);
        Assert.That(merge.Err, Does.Contain("s1.jsonl: different content"));
        Assert.That(File.Exists(folder["m.jsonl"]), Is.False);

        EditManifest(folder["s0.jsonl.manifest.json"], m => m["chunks"]![0]!["records"] = 3);
        File.WriteAllBytes(folder["s1.jsonl"], bytes.Select((b, i) => i == 30 ? (byte)(b ^ 0x01) : b).ToArray());
        merge = CliRunner.Run("predict", "merge", "--output", folder["m.jsonl"], folder["s0.jsonl"], folder["s1.jsonl"]);
        Assert.That(merge.ExitCode, Is.EqualTo(2), merge.Err);
        Assert.That(File.Exists(folder["m.jsonl"]), Is.False);
    }

    [Test]
    public void MovedShardsMergeFromWhereTheyAreNotFromWhereTheyWere()
    {
        var (folder, args) = Setup();
        using var _ = folder;
        for (int i = 0; i < 2; i++)
            Assert.That(CliRunner.Run([.. args($"s{i}.jsonl"), "--shard-index", $"{i}", "--num-shards", "2"]).ExitCode, Is.Zero);
        Directory.CreateDirectory(folder["moved"]);
        foreach (string file in Directory.GetFiles(folder.Root, "s?.jsonl*")) File.Move(file, Path.Combine(folder["moved"], Path.GetFileName(file)));
        // A different file where shard 1's errors file used to be must not be merged.
        File.WriteAllText(folder["s1.jsonl.errors.jsonl"], "{\"id\":\"stale\",\"reason\":\"not this run\"}\n");

        var merge = CliRunner.Run("predict", "merge", "--output", folder["m.jsonl"], folder["moved/s0.jsonl"], folder["moved/s1.jsonl"]);
        Assert.That(merge.ExitCode, Is.Zero, merge.Err);
        Assert.That(File.ReadAllBytes(folder["m.jsonl"]), Is.EqualTo(File.ReadAllBytes(folder["reference.jsonl"])));
        Assert.That(File.ReadAllBytes(folder["m.jsonl.errors.jsonl"]), Is.EqualTo(File.ReadAllBytes(folder["reference.jsonl.errors.jsonl"])));

        File.WriteAllText(folder["moved/s1.jsonl.errors.jsonl"], "{\"id\":55,\"reason\":\"edited\"}\n");
        var edited = CliRunner.Run("predict", "merge", "--output", folder["m2.jsonl"], folder["moved/s0.jsonl"], folder["moved/s1.jsonl"]);
        Assert.That(edited.ExitCode, Is.EqualTo(2), edited.Err);
        Assert.That(edited.Err, Does.Contain("s1.jsonl.errors.jsonl: "));
    }
}
