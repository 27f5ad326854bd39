using System.Text.Json;
using RnnNative.Inference;

namespace RnnNative.Tests.Golden;

/// <summary>
/// The PyTorch-made batch-inference golden files in tests/golden/predict (see generate.py there): plain state_dicts,
/// their JSONL input records and PyTorch's float64 predictions. All file access of those files is here.
/// </summary>
internal static class PredictGolden
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "golden", "predict");

    public static string ClassifierModel => Path.Combine(Root, "classifier.safetensors");
    public static string TaggerModel => Path.Combine(Root, "tagger.safetensors");
    public static string ClassifierInput => Path.Combine(Root, "classifier_input.jsonl");
    public static string TaggerInput => Path.Combine(Root, "tagger_input.jsonl");

    /// <summary>PyTorch's prediction for one record: label(s) and probabilities (per step for a tagger, row-major).</summary>
    public sealed record Expected(RecordId Id, int[] Labels, double[] Probabilities);

    public static List<PredictionRecord> Records(string path) =>
        Lines(path).Select(json => PredictionRecord.FromTokens(Id(json), json.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray())).ToList();

    public static List<Expected> ClassifierExpected() =>
        Lines(Path.Combine(Root, "classifier_expected.jsonl")).Select(json => new Expected(Id(json), [json.GetProperty("label").GetInt32()],
            json.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble()).ToArray())).ToList();

    public static List<Expected> TaggerExpected() =>
        Lines(Path.Combine(Root, "tagger_expected.jsonl")).Select(json => new Expected(Id(json),
            json.GetProperty("labels").EnumerateArray().Select(l => l.GetInt32()).ToArray(),
            json.GetProperty("probabilities").EnumerateArray().SelectMany(step => step.EnumerateArray()).Select(p => p.GetDouble()).ToArray())).ToList();

    public static async Task<List<PredictionResult>> PredictAsync(InferenceModel model, IReadOnlyList<PredictionRecord> records, BatchPredictorOptions options)
    {
        var predictor = new BatchPredictor(model, options);
        var results = new List<PredictionResult>();
        await foreach (var r in predictor.PredictAsync(records.ToAsyncEnumerable())) results.Add(r);
        return results;
    }

    /// <summary>The largest |actual − expected| over probabilities that must have the same count.</summary>
    public static double LargestDifference(IEnumerable<double> actual, double[] expected)
    {
        var values = actual.ToArray();
        Assert.That(values, Has.Length.EqualTo(expected.Length), "probabilities");
        return values.Zip(expected).Max(p => Math.Abs(p.First - p.Second));
    }

    private static RecordId Id(JsonElement json)
    {
        var id = json.GetProperty("id");
        return id.ValueKind == JsonValueKind.String ? RecordId.FromString(id.GetString()!) : RecordId.FromInteger(id.GetInt64());
    }

    private static IEnumerable<JsonElement> Lines(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone());
}
