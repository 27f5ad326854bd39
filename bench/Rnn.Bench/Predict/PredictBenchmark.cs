using System.Diagnostics;
using RnnNative.Bench.Peers;
using RnnNative.Inference;
using RnnNative.Validation;
using System.Numerics.Tensors;

namespace RnnNative.Bench.Predict;

/// <summary>
/// The batch-inference workload, timed end to end on the same records and weights: ours through the BatchPredictor
/// engine (length-bucketed, and with bucketing off), the peer through ONNX Runtime in arrival-order batches of 64 with
/// sequence_lens. Before any timing, the first <see cref="GateRecords"/> records go through the engine on the managed
/// reference, on our native backend and through ORT; both must agree with the reference's probabilities within the f32
/// validation tolerance, or a <see cref="PeerMismatchException"/> stops the run. That run is also every contender's
/// warm-up. Each contender then makes one timed pass over all records. The real <c>rnn predict</c> runs as a child
/// process in the same run (<see cref="PredictCliRun"/>): its first records pass the same check, and its int8 run is
/// compared with its f32 run record by record.
/// </summary>
public static class PredictBenchmark
{
    public const int GateRecords = 2 * PredictWorkload.PeerBatchSize;

    public static IReadOnlyList<PredictRow> Run(int recordCount, bool perturbPeer, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var records = PredictWorkload.Records(recordCount);
        var content = PredictWorkload.CheckpointContent();
        var state = content.ToDictionary();
        var backend = RnnBackends.Fastest(RnnPrecision.F32);
        using var peer = new OrtClassifierPeer(PeerModel(state, perturbPeer), PredictWorkload.Config.OutputSize, BenchWorkload.Threads, PredictWorkload.PeerBatchSize);
        using var ours = Load(content, backend);

        var gate = records.Take(GateRecords).ToList();
        float[][] reference;
        using (var managed = Load(content, RnnBackends.Managed))
            reference = Predict(managed, BatchPredictorOptions.Default, gate).Probabilities;
        Check(log, $"{backend.Name}-f32 (engine)", reference, Predict(ours, BatchPredictorOptions.Default, gate).Probabilities);
        Check(log, PeerLabel, reference, peer.Predict(gate));

        var rows = new List<PredictRow>();
        foreach (var (batching, options) in new[]
        {
            ("length-bucketed (engine defaults)", BatchPredictorOptions.Default),
            ($"length-bucketed, batches of at most {PredictWorkload.PeerBatchSize}", BatchPredictorOptions.Default with { MaxBatchSize = PredictWorkload.PeerBatchSize }),
            ("arrival order (no bucketing)", BatchPredictorOptions.Default with { Bucketing = false }),
        })
        {
            var run = Predict(ours, options, records);
            rows.Add(new PredictRow($"{backend.Name}-f32 BatchPredictor", records.Count, run.Seconds, run.Statistics.PaddingEfficiency, batching));
            log.WriteLine($"predict {backend.Name}-f32 {batching}: {records.Count / run.Seconds:0} sequences/s, padding efficiency {run.Statistics.PaddingEfficiency:0.000}");
        }
        using (var cli = new PredictCliRun(records.Count))
        {
            var f32 = cli.PredictF32();
            Check(log, CliLabel + " f32", reference, f32.Probabilities[..GateRecords]);
            rows.Add(new PredictRow($"{CliLabel} f32", records.Count, f32.Seconds, f32.PaddingEfficiency, CliBatching));
            log.WriteLine($"predict {CliLabel} f32: {records.Count / f32.Seconds:0} sequences/s, padding efficiency {f32.PaddingEfficiency:0.000}");
            if (backend.Supports(RnnPrecision.Int8))
            {
                var int8 = cli.PredictInt8();
                var (sameLabels, largest) = Agreement(f32, int8);
                rows.Add(new PredictRow($"{CliLabel} int8", records.Count, int8.Seconds, int8.PaddingEfficiency,
                    $"{CliBatching}; calibrated on the first {PredictCliRun.CalibrationRecords:N0} records; {sameLabels:0.00%} of labels as f32's, largest probability difference {largest:0.000}"));
                log.WriteLine($"predict {CliLabel} int8: {records.Count / int8.Seconds:0} sequences/s; {sameLabels:0.00%} of labels as f32's, largest probability difference {largest:0.000}");
            }
        }
        var clock = Stopwatch.StartNew();
        peer.Predict(records);
        double seconds = clock.Elapsed.TotalSeconds;
        var (useful, computed) = peer.LastPadding;
        rows.Add(new PredictRow(PeerLabel, records.Count, seconds, (double)useful / computed, $"arrival order, batches of {PredictWorkload.PeerBatchSize}, sequence_lens"));
        log.WriteLine($"predict {PeerLabel}: {records.Count / seconds:0} sequences/s, padding efficiency {(double)useful / computed:0.000}");
        return rows;
    }

    public static string PeerLabel => $"{ResultsTable.PredictPeer}-f32 (whole graph)";

    private const string CliLabel = "rnn predict (child process)";
    private const string CliBatching = "engine defaults; JSONL in and out, start-up included";

    /// <summary>The share of records whose written label agrees, and the largest probability difference.</summary>
    private static (double SameLabels, float Largest) Agreement(PredictCliRun.Result a, PredictCliRun.Result b)
    {
        int same = 0;
        float largest = 0;
        for (int i = 0; i < a.Labels.Length; i++)
        {
            if (a.Labels[i] == b.Labels[i]) same++;
            for (int c = 0; c < a.Probabilities[i].Length; c++) largest = Math.Max(largest, Math.Abs(a.Probabilities[i][c] - b.Probabilities[i][c]));
        }
        return ((double)same / a.Labels.Length, largest);
    }

    /// <summary>The whole classifier as ONNX, from the same state_dict; with <paramref name="perturb"/>, one recurrent weight moved by 0.5.</summary>
    public static byte[] PeerModel(IReadOnlyDictionary<string, Tensor<float>> state, bool perturb) => PeerModel(state, PredictWorkload.Config.RnnSpec, perturb);

    public static byte[] PeerModel(IReadOnlyDictionary<string, Tensor<float>> state, RnnSpec spec, bool perturb)
    {
        ArgumentNullException.ThrowIfNull(state);
        var rnn = RnnParameters.FromTensors(spec, state.Where(kv => kv.Key.StartsWith("rnn.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key["rnn.".Length..], kv => kv.Value));
        if (perturb) rnn = EqualityGate.Perturbed(rnn);
        return OnnxClassifierModelWriter.Write(state["embedding.weight"], rnn, state["fc.weight"], state["fc.bias"]);
    }

    public static InferenceModel Load(Formats.SafetensorsContent content, IRnnBackend backend) =>
        InferenceModelLoader.FromContent(content, "predict workload", new InferenceModelOptions
        {
            Backend = backend,
            Executor = new RnnExecutorOptions(RnnPrecision.F32, BenchWorkload.Threads),
        });

    /// <summary>Every record through the engine, in order, timed from the first record in to the last result out.</summary>
    public static (float[][] Probabilities, PredictionStatistics Statistics, double Seconds) Predict(InferenceModel model, BatchPredictorOptions options, IReadOnlyList<int[]> records)
    {
        var predictor = new BatchPredictor(model, options);
        var probabilities = new float[records.Count][];
        var clock = Stopwatch.StartNew();
        Task.Run(async () =>
        {
            int i = 0;
            await foreach (var result in predictor.PredictAsync(Stream(records)).ConfigureAwait(false))
            {
                if (result.IsError) throw new InvalidOperationException($"record {i} was rejected: {result.Error}");
                probabilities[i++] = result.Probabilities!;
            }
        }).GetAwaiter().GetResult();
        return (probabilities, predictor.Statistics, clock.Elapsed.TotalSeconds);
    }

    private static async IAsyncEnumerable<PredictionRecord> Stream(IReadOnlyList<int[]> records)
    {
        for (int i = 0; i < records.Count; i++) yield return PredictWorkload.ToRecord(i, records[i]);
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static void Check(TextWriter log, string who, float[][] reference, float[][] actual)
    {
        var r = reference.SelectMany(p => p).ToArray();
        var a = actual.SelectMany(p => p).ToArray();
        var (maxDiff, bound, _) = PeerAgreement.Compare(r, a, ValidationTolerance.F32);
        log.WriteLine($"gate predict-workload {who,-34} max|a-ref| = {maxDiff:0.000e+0}  bound {bound:0.000e+0} ({reference.Length} records)");
        PeerAgreement.Require(who, "the predict workload", r, a, ValidationTolerance.F32);
    }
}
