using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>Damaged Parquet inputs are refused in one line naming the file, with the same exit code with or without --quiet; odd columns give clear reasons.</summary>
public class PredictParquetInputTests
{
    private static void WriteTokens(string path, int rows)
    {
        var data = Enumerable.Range(0, rows).Select(i => (IDictionary<string, object?>)new Dictionary<string, object?> { ["id"] = (long)i, ["tokens"] = new List<long> { i % 7, 1, 2 } }).ToList();
        var schema = new ParquetSchema(new DataField<long>("id"), new ListField("tokens", new DataField<long>("element")));
        using var stream = File.Create(path);
        ParquetSerializer.SerializeUntypedAsync(data, schema, stream).GetAwaiter().GetResult();
    }

    [Test]
    public void ATruncatedOrDamagedParquetFileIsNamedWithOrWithoutQuiet()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        WriteTokens(folder["good.parquet"], 200);
        byte[] good = File.ReadAllBytes(folder["good.parquet"]);
        File.WriteAllBytes(folder["truncated.parquet"], good[..(good.Length / 2)]);
        byte[] footer = good.ToArray();
        BitConverter.GetBytes(int.MinValue).CopyTo(footer, footer.Length - 8); // a footer length of 2^31
        File.WriteAllBytes(folder["footer.parquet"], footer);

        foreach (string name in new[] { "truncated.parquet", "footer.parquet" })
        {
            foreach (bool quiet in new[] { false, true })
            {
                string[] args = ["predict", "--model", folder["c.safetensors"], "--input", folder[name], "--output", folder[$"out-{name}-{quiet}.jsonl"], "--backend", "managed"];
                var result = CliRunner.Run(quiet ? [.. args, "--quiet"] : args);
                Assert.That(result.ExitCode, Is.EqualTo(2), $"{name} quiet={quiet}: {result.Err}");
                Assert.That(result.ErrLines, Has.Length.EqualTo(1), $"{name} quiet={quiet}");
                Assert.That(result.Err, Does.Contain(folder[name]).And.Not.Contain("internal error"), $"{name} quiet={quiet}");
            }
        }
    }

    [Test]
    public void ADamagedDataPageIsNamedWithOrWithoutQuiet()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        WriteTokens(folder["good.parquet"], 200);
        byte[] good = File.ReadAllBytes(folder["good.parquet"]);
        var reader = ParquetReader.CreateAsync(folder["good.parquet"]).GetAwaiter().GetResult();
        var columns = reader.Metadata!.RowGroups[0].Columns.Select(c => (Name: c.MetaData!.PathInSchema[0], Start: c.MetaData.DataPageOffset, Size: c.MetaData.TotalCompressedSize)).ToList();
        reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        foreach (var (column, start, size) in columns)
        {
            // Sixteen bytes in the middle of the column chunk's data page, past its header: the compressed values.
            byte[] bad = good.ToArray();
            for (long p = start + size / 2; p < start + size / 2 + 16; p++) bad[p] ^= 0xFF;
            string name = $"{column}.parquet";
            File.WriteAllBytes(folder[name], bad);
            foreach (bool quiet in new[] { false, true })
            {
                string[] args = ["predict", "--model", folder["c.safetensors"], "--input", folder[name], "--output", folder[$"out-{column}-{quiet}.jsonl"], "--backend", "managed"];
                var result = CliRunner.Run(quiet ? [.. args, "--quiet"] : args);
                Assert.That(result.ExitCode, Is.EqualTo(2), $"{column} quiet={quiet}: {result.Err}");
                Assert.That(result.ErrLines, Has.Length.EqualTo(1), $"{column} quiet={quiet}");
                Assert.That(result.Err, Does.Contain(folder[name]).And.Not.Contain("internal error"), $"{column} quiet={quiet}");
            }
        }
    }

    [Test]
    public void NoByteOfADamagedFooterIsAnInternalErrorOrASuccessWithAnotherOutput()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        WriteTokens(folder["good.parquet"], 20);
        byte[] good = File.ReadAllBytes(folder["good.parquet"]);
        var undamaged = CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["good.parquet"], "--output", folder["good.jsonl"], "--backend", "managed", "--quiet");
        Assert.That(undamaged.ExitCode, Is.Zero, undamaged.Err);
        byte[] expected = File.ReadAllBytes(folder["good.jsonl"]);
        int footer = BitConverter.ToInt32(good, good.Length - 8);
        var outcomes = new List<string>();
        for (int p = good.Length - 8 - footer; p < good.Length - 8; p++)
        {
            byte[] bad = good.ToArray();
            bad[p] ^= 0xFF;
            File.WriteAllBytes(folder["bad.parquet"], bad);
            string output = folder[$"out-{p}.jsonl"];
            var result = CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["bad.parquet"], "--output", output, "--backend", "managed", "--quiet");
            // Parquet keeps no checksum of its footer: a flip in a field the reader does not use (a statistic, the
            // writer's name) reads as the same file, and that run may succeed, with the same output. What must never
            // happen is the tool failing on its own account, or succeeding with anything else (a flip that hides the
            // row groups used to give an empty output and exit 0).
            if (result.ExitCode is 1 || result.Err.Contains("internal error") || result.ErrLines.Length > 1)
                outcomes.Add($"byte {p}: exit {result.ExitCode}: {result.Err}");
            else if (result.ExitCode == 0 && !(File.Exists(output) && File.ReadAllBytes(output).AsSpan().SequenceEqual(expected)))
                outcomes.Add($"byte {p}: exit 0 with an output that differs from the undamaged file's ({(File.Exists(output) ? File.ReadAllLines(output).Length : 0)} lines, not 20)");
            else if (result.ExitCode == 2) Assert.That(result.Err, Does.Contain(folder["bad.parquet"]), $"byte {p}");
        }
        Assert.That(outcomes, Is.Empty);
    }

    [Test]
    public void StringTokensAreNamedAsStrings()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        var data = new List<IDictionary<string, object?>> { new Dictionary<string, object?> { ["id"] = "a", ["tokens"] = new List<ReadOnlyMemory<char>?> { "1".AsMemory(), "2".AsMemory() } } };
        var schema = new ParquetSchema(new DataField<string>("id"), new ListField("tokens", new DataField<string>("element")));
        using (var stream = File.Create(folder["in.parquet"])) ParquetSerializer.SerializeUntypedAsync(data, schema, stream).GetAwaiter().GetResult();
        var result = CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["in.parquet"], "--output", folder["out.jsonl"], "--backend", "managed", "--quiet");
        // Its only record failed, so the run as a whole failed (exit code 3); the reason is in the errors file.
        Assert.That(result.ExitCode, Is.EqualTo(3), result.Err);
        Assert.That(File.ReadAllText(folder["out.jsonl.errors.jsonl"]), Does.Contain("tokens[0] is a string (\\\"1\\\"), not a 32-bit integer"));
    }

    [Test]
    public void ARowGroupOverTheBoundIsRefusedByNameWithHowToRewriteIt()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        WriteTokens(folder["in.parquet"], 300);
        var result = CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["in.parquet"], "--output", folder["out.jsonl"],
            "--backend", "managed", "--max-row-group-rows", "100", "--quiet");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Err);
        Assert.That(result.ErrLines, Has.Length.EqualTo(1));
        Assert.That(result.Err, Does.Contain($"--input {folder["in.parquet"]}: row group 0 holds 300 rows, over the 100").And.Contain("row_group_size"));
        Assert.That(File.Exists(folder["out.jsonl"]), Is.False);

        var within = CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["in.parquet"], "--output", folder["out.jsonl"],
            "--backend", "managed", "--max-row-group-rows", "300", "--quiet");
        Assert.That(within.ExitCode, Is.Zero, within.Err);
        Assert.That(File.ReadAllLines(folder["out.jsonl"]), Has.Length.EqualTo(300));
    }
}
