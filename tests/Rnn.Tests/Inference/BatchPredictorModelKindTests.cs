using RnnNative.Formats;
using RnnNative.Inference;
using RnnNative.Interop.OneDnn;
using RnnNative.Managed;
using RnnNative.Models;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Inference;

/// <summary>
/// For every model kind, on the managed and the oneDNN backend, with several workers and random lengths: each result
/// of the batch engine equals the ready model's (or the layer's) own forward on that record alone, on the same
/// backend. Batching is the only difference, so the bound is float rounding of a different batch shape (1e-5).
/// </summary>
[TestFixture("managed")]
[TestFixture("onednn")]
public class BatchPredictorModelKindTests(string backendName)
{
    private const int Vocabulary = 9;
    private const double Tolerance = 1e-5;
    private IRnnBackend _backend = null!;
    private TempFolder _folder = null!;

    [OneTimeSetUp]
    public void FindBackend()
    {
        _backend = backendName == "managed" ? ManagedBackend.Instance : OneDnnBackend.Instance;
        if (!_backend.Availability.IsAvailable) Assert.Ignore($"{_backend.Name} is not available: {_backend.Availability.Reason}");
        _folder = new TempFolder();
    }

    [OneTimeTearDown]
    public void RemoveFiles() => _folder?.Dispose();

    private static List<PredictionRecord> TokenRecords(int seed, int count = 23)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(i => PredictionRecord.FromTokens(RecordId.FromInteger(1000 + i),
            Enumerable.Range(0, rng.Next(1, 15)).Select(_ => rng.Next(Vocabulary)).ToArray())).ToList();
    }

    private static BatchPredictorOptions Engine => new() { Window = 9, MaxBatchSize = 4, MaxBatchTokens = 30, Workers = 3 };

    private static async Task<List<PredictionResult>> PredictAll(InferenceModel model, IEnumerable<PredictionRecord> records)
    {
        var results = new List<PredictionResult>();
        await foreach (var r in new BatchPredictor(model, Engine).PredictAsync(records.ToAsyncEnumerable())) results.Add(r);
        return results;
    }

    private InferenceModel Load(string file, InferenceModelOptions? options = null) =>
        InferenceModelLoader.Load(file, (options ?? new InferenceModelOptions()) with { Backend = _backend });

    [TestCase(RnnCellKind.Lstm, true)]
    [TestCase(RnnCellKind.Gru, false)]
    [TestCase(RnnCellKind.RnnTanh, true)]
    public async Task Classifier(RnnCellKind cell, bool bidirectional)
    {
        var config = new ModelConfig(ModelKind.Classifier, cell, Vocabulary, 4, 5, 3, NumLayers: 2, Bidirectional: bidirectional);
        using var model = new SequenceClassifier(config, _backend, seed: 11);
        string file = _folder[$"classifier-{cell}-{bidirectional}.safetensors"];
        ModelCheckpoint.Save(file, model);
        using var inference = Load(file);
        var records = TokenRecords(1);
        var results = await PredictAll(inference, records);
        Assert.That(results.Select(r => r.Id), Is.EqualTo(records.Select(r => r.Id)));
        for (int i = 0; i < records.Count; i++)
        {
            var logits = model.Logits(TokenBatch.FromSequences([records[i].Tokens!])).Span.ToArray();
            var expected = Softmax(logits);
            Assert.That(results[i].Probabilities, Is.EqualTo(expected).Within(Tolerance), $"record {i}");
            AssertArgMax(results[i].Label, expected, $"record {i}");
        }
    }

    [TestCase(RnnCellKind.Gru, true)]
    [TestCase(RnnCellKind.Lstm, false)]
    public async Task Tagger(RnnCellKind cell, bool bidirectional)
    {
        var config = new ModelConfig(ModelKind.Tagger, cell, Vocabulary, 3, 4, 5, NumLayers: 1, Bidirectional: bidirectional);
        using var model = new SequenceTagger(config, _backend, seed: 12);
        string file = _folder[$"tagger-{cell}.safetensors"];
        ModelCheckpoint.Save(file, model);
        using var inference = Load(file, new InferenceModelOptions { StepProbabilities = true });
        var records = TokenRecords(2);
        var results = await PredictAll(inference, records);
        for (int i = 0; i < records.Count; i++)
        {
            var (logits, _) = model.Logits(TokenBatch.FromSequences([records[i].Tokens!]));
            int steps = records[i].Length;
            Assert.That(results[i].Labels, Has.Length.EqualTo(steps));
            for (int t = 0; t < steps; t++)
            {
                var expected = Softmax(logits.Span.Slice(t * 5, 5).ToArray());
                Assert.That(results[i].StepProbabilities!.AsSpan(t * 5, 5).ToArray(), Is.EqualTo(expected).Within(Tolerance), $"record {i} step {t}");
                AssertArgMax(results[i].Labels![t], expected, $"record {i} step {t}");
            }
        }
    }

    [Test]
    public async Task GeneratorGreedyAndSampled()
    {
        var config = new ModelConfig(ModelKind.Generator, RnnCellKind.Lstm, Vocabulary, 4, 6, Vocabulary, NumLayers: 2);
        using var model = new SequenceGenerator(config, _backend, seed: 13);
        string file = _folder["generator.safetensors"];
        ModelCheckpoint.Save(file, model);
        foreach (var sampling in new[] { SamplingStrategy.Greedy, SamplingStrategy.WithTopK(3, 0.9) })
        {
            var generation = new GenerationOptions { MaxNewTokens = 6, Sampling = sampling, Seed = 21, StopToken = 0 };
            using var inference = Load(file, new InferenceModelOptions { Generation = generation });
            var records = TokenRecords(3, count: 17);
            var results = await PredictAll(inference, records);
            for (int i = 0; i < records.Count; i++)
            {
                var expected = model.Generate(records[i].Tokens!, 6, sampling, new Random(generation.SeedFor(records[i].Id!.Value)), stopToken: 0);
                Assert.That(results[i].Tokens, Is.EqualTo(expected), $"record {i}, {(sampling.IsGreedy ? "greedy" : "top-k")}");
            }
        }
    }

    [Test]
    public async Task EncoderDecoder()
    {
        var config = new ModelConfig(ModelKind.EncoderDecoder, RnnCellKind.Gru, Vocabulary, 4, 6, 7, NumLayers: 1);
        using var model = new EncoderDecoder(config, _backend, seed: 14, beginToken: 1, endToken: 2);
        string file = _folder["seq2seq.safetensors"];
        ModelCheckpoint.Save(file, model);
        using var inference = Load(file, new InferenceModelOptions { BeginToken = 1, EndToken = 2, Generation = new GenerationOptions { MaxNewTokens = 5 } });
        var records = TokenRecords(4, count: 15);
        var results = await PredictAll(inference, records);
        for (int i = 0; i < records.Count; i++)
            Assert.That(results[i].Tokens, Is.EqualTo(model.Translate(records[i].Tokens!, 5)), $"record {i}");
    }

    [TestCase(RnnCellKind.Lstm, true)]
    [TestCase(RnnCellKind.RnnRelu, false)]
    public async Task BareLayer(RnnCellKind cell, bool bidirectional)
    {
        var spec = new RnnSpec(cell, 3, 4, 2, bidirectional);
        var parameters = RnnParameters.InitializeUniform(spec, seed: 15);
        string file = _folder[$"layer-{cell}.safetensors"];
        RnnModelFile.Save(file, parameters);
        using var inference = Load(file, new InferenceModelOptions { FullOutput = true });
        var rng = new Random(5);
        var records = Enumerable.Range(0, 19).Select(i =>
        {
            int steps = rng.Next(1, 12);
            return PredictionRecord.FromFeatures(RecordId.FromString($"x{i}"), Enumerable.Range(0, steps * 3).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray(), steps);
        }).ToList();
        var results = await PredictAll(inference, records);
        using var executor = _backend.CreateExecutor(parameters, RnnExecutorOptions.Default);
        for (int i = 0; i < records.Count; i++)
        {
            int steps = records[i].FeatureSteps;
            using var alone = executor.Forward(new RnnInput(RnnTensors.Create(records[i].Features!, steps, 1, 3)));
            Assert.That(results[i].Hidden, Is.EqualTo(alone.Hidden.Span.ToArray()).Within(Tolerance), $"record {i} hidden");
            Assert.That(results[i].Output, Is.EqualTo(alone.Output.Span.ToArray()).Within(Tolerance), $"record {i} output");
        }
    }

    private static double[] Softmax(float[] logits)
    {
        double max = logits.Max(), sum = logits.Sum(v => Math.Exp(v - max));
        return logits.Select(v => Math.Exp(v - max) / sum).ToArray();
    }

    /// <summary>The label is the arg-max, except where two classes are closer than the bound (then either is right).</summary>
    private static void AssertArgMax(int label, double[] expected, string what)
    {
        double best = expected.Max();
        Assert.That(expected[label], Is.GreaterThanOrEqualTo(best - Tolerance), what);
    }
}
