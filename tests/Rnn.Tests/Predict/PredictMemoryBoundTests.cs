using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using Parquet.Serialization;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>
/// rnn predict's peak memory stays within the bound docs/batch-inference.md gives, whatever the input: a 200 MB JSONL
/// line, a Parquet row group of a million rows, row groups at the --max-row-group-rows bound. Each run is a real process
/// under an address-space limit (ulimit -v, with the GC's heap capped so that it reserves in proportion), and its peak
/// resident memory (VmHWM, from /usr/bin/time) is checked against the bound.
/// </summary>
public class PredictMemoryBoundTests
{
    // The bound of docs/batch-inference.md (Memory) for these runs: the runtime and a small model (100 MiB), plus the
    // largest line held (--max-record-bytes, 8 MiB) and a window of short records; plus, for Parquet, one row group
    // of at most --max-row-group-rows rows (262,144 × 1.6 KiB).
    private const long JsonlBoundMiB = 100 + 8 + 50;
    private const long ParquetBoundMiB = 100 + 420 + 50;
    private const long AddressLimitKiB = 4L << 20;

    private static (int ExitCode, string Err, long PeakMiB) RunBounded(TempFolder folder, params string[] args)
    {
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["DOTNET_GCHeapHardLimit"] = "0x20000000";
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"ulimit -v {AddressLimitKiB}; exec /usr/bin/time -o '{folder["peak.txt"]}' -f %M dotnet '{Path.Combine(TestContext.CurrentContext.TestDirectory, "rnn.dll")}' " +
            string.Join(' ', args.Select(a => $"'{a}'")));
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("did not finish in 120 s");
        }
        // /usr/bin/time adds its own line to stderr when the command fails; the run's own lines are the others.
        string err = string.Join('\n', stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("Command exited with non-zero status", StringComparison.Ordinal)));
        long peakKiB = long.Parse(File.ReadAllLines(folder["peak.txt"]).Last(l => l.Length > 0), CultureInfo.InvariantCulture);
        TestContext.Out.WriteLine($"peak RSS {peakKiB / 1024} MiB: {string.Join(' ', args.Where(a => !a.Contains('/')))}");
        return (process.ExitCode, err, peakKiB / 1024);
    }

    private static void RequireTools()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("ulimit -v through sh and /proc: Linux");
        if (!File.Exists("/usr/bin/time")) Assert.Ignore("needs /usr/bin/time (Debian: time) for the child's peak RSS");
    }

    [Test]
    public void A200MegabyteLineGoesToTheErrorsFileWithinTheBound()
    {
        RequireTools();
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        // Written in pieces: the line is never whole in this process either.
        using (var file = new StreamWriter(folder["in.jsonl"]))
        {
            for (int i = 0; i < 100; i++) file.Write($"{{\"id\":{i},\"tokens\":[{i % 7},1,2]}}\n");
            file.Write("{\"id\":\"huge\",\"tokens\":[");
            string block = string.Concat(Enumerable.Repeat("1,", 1 << 19));
            for (long written = 0; written < 200_000_000; written += block.Length) file.Write(block);
            file.Write("1]}\n");
            for (int i = 100; i < 200; i++) file.Write($"{{\"id\":{i},\"tokens\":[{i % 7},1,2]}}\n");
        }
        var run = RunBounded(folder, "predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"], "--backend", "managed", "--quiet");
        Assert.That(run.ExitCode, Is.Zero, run.Err);
        Assert.That(File.ReadAllLines(folder["out.jsonl"]), Has.Length.EqualTo(200));
        string[] errors = File.ReadAllLines(folder["out.jsonl.errors.jsonl"]);
        Assert.That(errors, Has.Length.EqualTo(1));
        Assert.That(errors[0], Does.Contain("\"line\":101").And.Contain("over --max-record-bytes"));
        Assert.That(run.PeakMiB, Is.LessThan(JsonlBoundMiB));
    }

    [Test]
    public void AMillionRowRowGroupIsRefusedByNameWithoutBeingRead()
    {
        RequireTools();
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        WriteRowGroups(folder["in.parquet"], 1_000_000, groups: 1);
        var run = RunBounded(folder, "predict", "--model", folder["c.safetensors"], "--input", folder["in.parquet"], "--output", folder["out.jsonl"], "--backend", "managed");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.Err);
        Assert.That(run.Err.Split('\n'), Has.Length.EqualTo(1), run.Err);
        Assert.That(run.Err, Does.Contain("row group 0 holds 1000000 rows, over the 262144"));
        Assert.That(run.PeakMiB, Is.LessThan(JsonlBoundMiB), "refused from the footer, before any row is read");
    }

    [Test]
    public void RowGroupsAtTheBoundAreReadWithinIt()
    {
        RequireTools();
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        WriteRowGroups(folder["in.parquet"], 262_144, groups: 1);
        var run = RunBounded(folder, "predict", "--model", folder["c.safetensors"], "--input", folder["in.parquet"], "--output", folder["out.jsonl"], "--backend", "managed", "--quiet");
        Assert.That(run.ExitCode, Is.Zero, run.Err);
        Assert.That(run.PeakMiB, Is.LessThan(ParquetBoundMiB));
    }

    private sealed class Row
    {
        [JsonPropertyName("id")] public long Id { get; set; }
        [JsonPropertyName("tokens")] public List<long> Tokens { get; set; } = [];
    }

    /// <summary><paramref name="groups"/> row groups of <paramref name="rows"/> rows of <c>id</c> and three <c>tokens</c>.</summary>
    private static void WriteRowGroups(string path, int rows, int groups)
    {
        var data = Enumerable.Range(0, rows * groups).Select(r => new Row { Id = r, Tokens = [r % PredictFiles.Vocabulary, 1, 2] });
        using var stream = File.Create(path);
        ParquetSerializer.SerializeAsync(data, stream, new Parquet.ParquetOptions { RowGroupSize = rows }).GetAwaiter().GetResult();
    }
}
