using System.Globalization;
using System.Text.Json;

namespace RnnNative.Cli.Predict;

/// <summary>
/// The figures of a finished run, over every chunk of its output (a resumed run counts the chunks of earlier runs
/// too): records, errors, seconds (wall time from the model loaded to the joined, verified output: reading, predicting,
/// every commit and the join; a resumed run adds what its earlier runs spent up to their last commit), sequences and tokens
/// per second, padding efficiency = useful time steps ÷ computed time steps, and, when classifier records carried an
/// integer <c>label</c>, the accuracy over those.
/// </summary>
internal sealed record PredictSummary(long Records, long Errors, double Seconds, long Tokens, long UsefulSteps, long ComputedSteps, long Labelled = 0, long Correct = 0)
{
    /// <summary>The run over every chunk of <paramref name="manifest"/>, plus <paramref name="extraSeconds"/>: the time since the last commit (the join and its checks, or the check of an already complete output).</summary>
    public static PredictSummary From(PredictManifest manifest, double extraSeconds) => new(
        manifest.Records, manifest.Errors, manifest.Chunks.Sum(c => c.Seconds) + extraSeconds,
        manifest.Chunks.Sum(c => c.Tokens), manifest.Chunks.Sum(c => c.UsefulSteps), manifest.Chunks.Sum(c => c.ComputedSteps),
        manifest.Chunks.Sum(c => c.Labelled), manifest.Chunks.Sum(c => c.Correct));

    public double Accuracy => Labelled > 0 ? (double)Correct / Labelled : double.NaN;

    public double SequencesPerSecond => Seconds > 0 ? (Records - Errors) / Seconds : 0;
    public double TokensPerSecond => Seconds > 0 ? Tokens / Seconds : 0;
    public double PaddingEfficiency => ComputedSteps == 0 ? 1 : (double)UsefulSteps / ComputedSteps;

    public string Line(string output) => string.Create(CultureInfo.InvariantCulture,
        $"predict: {Records} records ({Errors} errors) in {Seconds:F2} s: {SequencesPerSecond:F0} seq/s, {TokensPerSecond:F0} tokens/s, padding efficiency {PaddingEfficiency:F3}{(Labelled > 0 ? $", accuracy {Accuracy:F3} over {Labelled} labelled records" : "")} -> {output}");

    public void WriteJson(string path)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("records", Records);
        json.WriteNumber("errors", Errors);
        json.WriteNumber("seconds", Math.Round(Seconds, 6));
        json.WriteNumber("sequences_per_second", Math.Round(SequencesPerSecond, 3));
        json.WriteNumber("tokens_per_second", Math.Round(TokensPerSecond, 3));
        json.WriteNumber("padding_efficiency", Math.Round(PaddingEfficiency, 6));
        if (Labelled > 0)
        {
            json.WriteNumber("labelled", Labelled);
            json.WriteNumber("accuracy", Math.Round(Accuracy, 6));
        }
        json.WriteEndObject();
    }
}
