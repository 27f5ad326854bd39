using System.Text;
using System.Text.Json;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Predict;

/// <summary>Records the reader cannot take go to the errors file with the reason, in their place, and the run goes on.</summary>
public class PredictBadRecordTests
{
    [Test]
    public void ALoneSurrogateOrInvalidUtf8InARecordGoesToTheErrorsFile()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        using (var file = File.Create(folder["in.jsonl"]))
        {
            void Line(string text) => file.Write(Encoding.UTF8.GetBytes(text + "\n"));
            Line("{\"id\":\"a\",\"tokens\":[1,2]}");
            Line("{\"id\":\"\\ud800\",\"tokens\":[1]}");
            Line("{\"id\":\"b\",\"tokens\":[3]}");
            file.Write("{\"id\":\"c"u8);
            file.Write([0xFF, 0xFE]);
            file.Write("\",\"tokens\":[1]}\n"u8);
            Line("{\"id\":\"d\",\"tokens\":[4,5]}");
        }
        var result = CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"], "--backend", "managed", "--quiet");
        Assert.That(result.ExitCode, Is.Zero, result.Err);
        Assert.That(result.Out, Does.StartWith("predict: 5 records (2 errors)"));
        Assert.That(File.ReadAllLines(folder["out.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()), Is.EqualTo(new[] { "a", "b", "d" }));
        var errors = File.ReadAllLines(folder["out.jsonl.errors.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(errors.Select(e => e.GetProperty("line").GetInt64()), Is.EqualTo(new long[] { 2, 4 }));
        Assert.That(errors[0].GetProperty("reason").GetString(), Does.Contain("not valid Unicode"));
        Assert.That(errors[1].GetProperty("reason").GetString(), Does.Contain("not valid UTF-8 text (byte 9"));
    }

    [Test]
    public void ALineOverMaxRecordBytesGoesToTheErrorsFileAndTheRunGoesOn()
    {
        using var folder = new TempFolder();
        PredictFiles.Classifier(folder["c.safetensors"]).Dispose();
        string huge = "{\"id\":\"big\",\"tokens\":[" + string.Join(',', Enumerable.Repeat("1", 500_000)) + "]}";
        File.WriteAllLines(folder["in.jsonl"], ["{\"id\":\"a\",\"tokens\":[1,2]}", huge, "{\"id\":\"b\",\"tokens\":[3]}"]);
        var result = CliRunner.Run("predict", "--model", folder["c.safetensors"], "--input", folder["in.jsonl"], "--output", folder["out.jsonl"],
            "--backend", "managed", "--max-record-bytes", "65536", "--quiet");
        Assert.That(result.ExitCode, Is.Zero, result.Err);
        Assert.That(File.ReadAllLines(folder["out.jsonl"]).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()), Is.EqualTo(new[] { "a", "b" }));
        var error = JsonDocument.Parse(File.ReadAllText(folder["out.jsonl.errors.jsonl"])).RootElement;
        Assert.That(error.GetProperty("line").GetInt64(), Is.EqualTo(2));
        Assert.That(error.GetProperty("reason").GetString(), Is.EqualTo($"the record is {huge.Length} bytes, over --max-record-bytes 65536"));
    }
}
