using RnnNative.Managed;
using RnnNative.Inference;
using RnnNative.Models;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Inference;

/// <summary>Every classifier prediction of the batch engine equals the ready model's own forward on that record alone.</summary>
public class BatchPredictorClassifierTests
{
    [Test]
    public async Task EachResultMatchesTheModelOnItsRecordAloneAndComesBackOnceInOrder()
    {
        using var folder = new TempFolder();
        var config = new ModelConfig(ModelKind.Classifier, RnnCellKind.Lstm, 13, 5, 6, 4, NumLayers: 2, Bidirectional: true);
        using var model = new SequenceClassifier(config, ManagedBackend.Instance, seed: 3);
        ModelCheckpoint.Save(folder["c.safetensors"], model);
        using var inference = InferenceModelLoader.Load(folder["c.safetensors"], new InferenceModelOptions { Backend = ManagedBackend.Instance });
        var predictor = new BatchPredictor(inference, new BatchPredictorOptions { Window = 7, MaxBatchSize = 3, Workers = 3 });

        var rng = new Random(5);
        var records = Enumerable.Range(0, 40).Select(i => i % 9 == 4
            ? PredictionRecord.FromTokens(RecordId.FromInteger(i), [1, 99])
            : PredictionRecord.FromTokens(RecordId.FromInteger(i), Enumerable.Range(0, rng.Next(1, 12)).Select(_ => rng.Next(13)).ToArray())).ToList();

        var results = new List<PredictionResult>();
        await foreach (var r in predictor.PredictAsync(records.ToAsyncEnumerable())) results.Add(r);

        Assert.That(results.Select(r => r.Id!.Value.Number), Is.EqualTo(Enumerable.Range(0, 40).Select(i => (long)i)));
        for (int i = 0; i < records.Count; i++)
        {
            if (i % 9 == 4)
            {
                Assert.That(results[i].Error, Does.Contain("outside the vocabulary"));
                continue;
            }
            var logits = model.Logits(TokenBatch.FromSequences([records[i].Tokens!]));
            Assert.That(results[i].Label, Is.EqualTo(System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits.Span)), $"record {i}");
            double max = logits.Span.ToArray().Max(), sum = logits.Span.ToArray().Sum(v => Math.Exp(v - max));
            for (int c = 0; c < 4; c++)
                Assert.That(results[i].Probabilities![c], Is.EqualTo(Math.Exp(logits.Span[c] - max) / sum).Within(1e-6), $"record {i} class {c}");
        }
        Assert.That(predictor.Statistics.Records, Is.EqualTo(40));
        Assert.That(predictor.Statistics.Errors, Is.EqualTo(results.Count(r => r.IsError)));
    }
}
