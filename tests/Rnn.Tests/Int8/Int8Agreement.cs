using RnnNative.Inference;
using RnnNative.Managed;
using RnnNative.Models;
using RnnNative.Tests.Golden;

namespace RnnNative.Tests.Int8;

/// <summary>
/// How a classifier's int8 predictions compare with its f32 ones on the same records: the share of records whose
/// arg-max agrees, and the largest difference of any class probability. f32 is the managed reference; int8 is the
/// calibrated model file loaded with <see cref="RnnPrecision.Int8"/> on <c>int8Backend</c> (LSTM in int8, embedding and
/// head in f32), both through <see cref="BatchPredictor"/>.
/// </summary>
internal sealed record Int8Agreement(string Model, int Records, int Agreeing, double LargestProbabilityDifference)
{
    public double Share => Agreeing / (double)Records;

    public static async Task<Int8Agreement> MeasureAsync(string name, string f32Model, string int8Model, IRnnBackend int8Backend, IReadOnlyList<int[]> sequences)
    {
        var records = sequences.Select((tokens, i) => PredictionRecord.FromTokens(RecordId.FromInteger(i), tokens)).ToList();
        var batching = new BatchPredictorOptions { MaxBatchSize = 64 };
        using var f32 = InferenceModelLoader.Load(f32Model, new InferenceModelOptions { Backend = ManagedBackend.Instance, Kind = ModelKind.Classifier });
        using var int8 = InferenceModelLoader.Load(int8Model, new InferenceModelOptions
        {
            Backend = int8Backend,
            Kind = ModelKind.Classifier,
            Executor = new RnnExecutorOptions(RnnPrecision.Int8),
        });
        var expected = await PredictGolden.PredictAsync(f32, records, batching);
        var actual = await PredictGolden.PredictAsync(int8, records, batching);
        int agreeing = 0;
        double largest = 0;
        for (int i = 0; i < records.Count; i++)
        {
            if (expected[i].IsError || actual[i].IsError) throw new InvalidOperationException($"record {i}: {expected[i].Error ?? actual[i].Error}");
            if (expected[i].Label == actual[i].Label) agreeing++;
            for (int c = 0; c < expected[i].Probabilities!.Length; c++)
                largest = Math.Max(largest, Math.Abs(expected[i].Probabilities![c] - actual[i].Probabilities![c]));
        }
        return new Int8Agreement(name, records.Count, agreeing, largest);
    }

    public static string TableHeader =>
        "| model | records | argmax agreement int8 vs f32 | largest probability difference |\n|---|---|---|---|";

    public string TableRow =>
        FormattableString.Invariant($"| {Model} | {Records} | {Share:P2} ({Agreeing}/{Records}) | {LargestProbabilityDifference:0.0000} |");
}
