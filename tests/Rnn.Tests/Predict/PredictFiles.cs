using System.Diagnostics;
using RnnNative.Managed;
using RnnNative.Models;

namespace RnnNative.Tests.Predict;

/// <summary>Tiny models and record files for the rnn predict tests, and a way to run the real rnn process.</summary>
internal static class PredictFiles
{
    public const int Vocabulary = 11;

    public static SequenceClassifier Classifier(string path, int seed = 3)
    {
        var config = new ModelConfig(ModelKind.Classifier, RnnCellKind.Lstm, Vocabulary, 5, 6, 4, NumLayers: 2, Bidirectional: true);
        var model = new SequenceClassifier(config, ManagedBackend.Instance, seed);
        ModelCheckpoint.Save(path, model);
        return model;
    }

    /// <summary>
    /// A run long enough to be interrupted mid-way (2,400 records through a managed 2-layer LSTM 32): the model at
    /// <paramref name="modelPath"/>, the records at <paramref name="inputPath"/>.
    /// </summary>
    public static void WriteLongRun(string modelPath, string inputPath)
    {
        var config = new ModelConfig(ModelKind.Classifier, RnnCellKind.Lstm, Vocabulary, 16, 32, 4, NumLayers: 2);
        using (var model = new SequenceClassifier(config, ManagedBackend.Instance, seed: 8)) ModelCheckpoint.Save(modelPath, model);
        WriteTokens(inputPath, 2400, seed: 6, maxLength: 20);
    }

    /// <summary>Random token records with ids 0..count-1, lengths 1..maxLength.</summary>
    public static List<int[]> WriteTokens(string path, int count, int seed, int maxLength = 12)
    {
        var rng = new Random(seed);
        var records = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, rng.Next(1, maxLength + 1)).Select(_ => rng.Next(Vocabulary)).ToArray()).ToList();
        File.WriteAllLines(path, records.Select((t, i) => $"{{\"id\":{i},\"tokens\":[{string.Join(',', t)}]}}"));
        return records;
    }

    /// <summary>Starts the rnn tool from the test output folder as its own process.</summary>
    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "rnn.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    public static (int ExitCode, string Out, string Err) Run(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"rnn {string.Join(' ', args)} did not finish in 120 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
