using RnnNative.Interop;
using RnnNative.Managed;
using RnnNative.Models;
using RnnNative.Training;

namespace RnnNative.Tests.Training;

/// <summary>
/// Training runs behind the backend seam: the same seeded run gives the same losses, step after step, on every backend
/// present as on the managed reference (f32 tolerance, relative to max(1, |loss|)).
/// </summary>
[TestFixtureSource(nameof(Backends))]
public class TrainingOnEveryBackendTests(IRnnBackend backend)
{
    private const int Steps = 5;

    public static IEnumerable<IRnnBackend> Backends => RnnBackends.All.Where(b => b != RnnBackends.Managed);

    [OneTimeSetUp]
    public void RequireBackend()
    {
        if (!backend.Availability.IsAvailable) Assert.Ignore($"{backend.Name} is not available: {backend.Availability.Reason}");
    }

    private static TokenBatch Batch() => TokenBatch.FromSequences(
    [
        [1, 4, 2, 7], [3, 3, 5, 1, 6, 2], [2], [6, 5, 4, 3, 2, 1], [7, 1, 1],
    ]);

    [TestCase(RnnCellKind.Lstm, false)]
    [TestCase(RnnCellKind.Gru, true)]
    [TestCase(RnnCellKind.RnnTanh, false)]
    public void ClassifierLossesMatchTheReference(RnnCellKind cell, bool bidirectional)
    {
        var config = new ModelConfig(ModelKind.Classifier, cell, VocabularySize: 8, EmbeddingSize: 5, HiddenSize: 6, OutputSize: 3,
            NumLayers: 2, Bidirectional: bidirectional);
        int[] labels = [0, 1, 2, 1, 0];
        double[] Run(IRnnBackend b)
        {
            using var model = new SequenceClassifier(config, b, seed: 3);
            var sgd = new Sgd(0.5, momentum: 0.9);
            return Enumerable.Range(0, Steps).Select(_ => model.TrainStep(Batch(), labels, sgd)).ToArray();
        }
        AssertSameLosses(Run(ManagedBackend.Instance), Run(backend));
    }

    [Test]
    public void TaggerLossesMatchTheReference()
    {
        var config = new ModelConfig(ModelKind.Tagger, RnnCellKind.Lstm, VocabularySize: 8, EmbeddingSize: 4, HiddenSize: 5, OutputSize: 2,
            Bidirectional: true);
        var batch = Batch();
        var tags = batch.Lengths.Select((len, n) => (IReadOnlyList<int>)Enumerable.Range(0, len).Select(t => (t + n) % 2).ToArray()).ToList();
        double[] Run(IRnnBackend b)
        {
            using var model = new SequenceTagger(config, b, seed: 4);
            var adam = new Adam(0.05);
            return Enumerable.Range(0, Steps).Select(_ => model.TrainStep(batch, tags, adam)).ToArray();
        }
        AssertSameLosses(Run(ManagedBackend.Instance), Run(backend));
    }

    private static void AssertSameLosses(double[] reference, double[] actual)
    {
        Assert.That(reference[^1], Is.LessThan(reference[0]), "the reference run should be learning");
        for (int i = 0; i < reference.Length; i++)
            Assert.That(actual[i], Is.EqualTo(reference[i]).Within(1e-4 * Math.Max(1, Math.Abs(reference[i]))), $"loss at step {i + 1}");
    }
}
