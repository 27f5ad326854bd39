using System.Diagnostics;
using System.Text.Json;

namespace RnnNative.Bench.Predict;

/// <summary>
/// The real <c>rnn predict</c>, as a user runs it: a child process over the workload's files (JSONL in, JSONL out, the
/// engine's defaults), timed from process start to exit, so start-up, parsing and writing count against us. The tool is
/// the build copied beside the suite (the suite references the CLI project). Dispose to delete the files.
/// </summary>
public sealed class PredictCliRun : IDisposable
{
    /// <summary>Records of the workload's head that <c>rnn calibrate</c> sees for the int8 run (a sample, as a user would take).</summary>
    public const int CalibrationRecords = 1_000;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"rnn-bench-predict-{Environment.ProcessId}");

    public sealed record Result(double Seconds, double PaddingEfficiency, int[] Labels, float[][] Probabilities);

    public PredictCliRun(int recordCount)
    {
        PredictWorkloadWriter.Write(_dir, recordCount);
        File.WriteAllLines(Path.Combine(_dir, "calibration.jsonl"), File.ReadLines(Records).Take(CalibrationRecords));
    }

    private string Records => Path.Combine(_dir, "records.jsonl");
    private string Model => Path.Combine(_dir, "model.safetensors");
    private string Int8Model => Path.Combine(_dir, "model.int8.safetensors");

    /// <summary><c>rnn predict</c> in f32 (the defaults), timed.</summary>
    public Result PredictF32() => Predict(Model, []);

    /// <summary><c>rnn calibrate</c> on the calibration sample (not timed), then <c>rnn predict --precision int8</c>, timed.</summary>
    public Result PredictInt8()
    {
        Rnn(["calibrate", "--model", Model, "--input", Path.Combine(_dir, "calibration.jsonl"), "--output", Int8Model]);
        return Predict(Int8Model, ["--precision", "int8"]);
    }

    private Result Predict(string model, string[] extra)
    {
        string output = Path.Combine(_dir, "out.jsonl"), summary = Path.Combine(_dir, "summary.json");
        foreach (var stale in Directory.EnumerateFileSystemEntries(_dir, "out.jsonl*")) DeleteEntry(stale);
        double seconds = Rnn(["predict", "--model", model, "--input", Records, "--output", output, "--summary", summary, "--quiet", .. extra]);
        using var stats = JsonDocument.Parse(File.ReadAllText(summary));
        var labels = new List<int>();
        var probabilities = new List<float[]>();
        foreach (var line in File.ReadLines(output))
        {
            using var record = JsonDocument.Parse(line);
            labels.Add(record.RootElement.GetProperty("label").GetInt32());
            probabilities.Add([.. record.RootElement.GetProperty("probabilities").EnumerateArray().Select(p => (float)p.GetDouble())]);
        }
        return new Result(seconds, stats.RootElement.GetProperty("padding_efficiency").GetDouble(), [.. labels], [.. probabilities]);
    }

    /// <summary>Runs the tool to its exit and returns its wall time; a non-zero exit stops the suite with the tool's message.</summary>
    private static double Rnn(string[] args)
    {
        var clock = Stopwatch.StartNew();
        ToolBesideSuite.Run("rnn", args);
        return clock.Elapsed.TotalSeconds;
    }

    private static void DeleteEntry(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        else File.Delete(path);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
