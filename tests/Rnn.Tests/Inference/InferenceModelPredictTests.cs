using RnnNative.Inference;
using RnnNative.Interop.OneDnn;
using RnnNative.Models;
using RnnNative.Tests.Cli;

namespace RnnNative.Tests.Inference;

/// <summary>
/// The public whole-model calls: load a checkpoint, score one sequence or a batch. Each result equals the trainable
/// model's own forward on that sequence alone; bad input is refused naming the record and the step; concurrent calls on
/// one model give the results of the same calls made one by one.
/// </summary>
public class InferenceModelPredictTests
{
    private const int Vocabulary = 9, Classes = 3;
    private TempFolder _folder = null!;
    private SequenceClassifier _trained = null!;
    private string _file = null!;

    [OneTimeSetUp]
    public void SaveAClassifier()
    {
        if (!OneDnnBackend.Instance.Availability.IsAvailable) Assert.Ignore($"onednn unavailable: {OneDnnBackend.Instance.Availability.Reason}");
        _folder = new TempFolder();
        var config = new ModelConfig(ModelKind.Classifier, RnnCellKind.Lstm, Vocabulary, 4, 5, Classes, NumLayers: 2, Bidirectional: true);
        _trained = new SequenceClassifier(config, RnnNative.Managed.ManagedBackend.Instance, seed: 5);
        _file = _folder["classifier.safetensors"];
        ModelCheckpoint.Save(_file, _trained);
    }

    [OneTimeTearDown]
    public void Remove()
    {
        _trained?.Dispose();
        _folder?.Dispose();
    }

    private float[] ExpectedLogits(int[] tokens) => _trained.Logits(TokenBatch.FromSequences([tokens])).Span.ToArray();

    [Test]
    public void OneSequenceInThreeLines()
    {
        using var model = InferenceModel.Load(_file, new() { Executor = new RnnExecutorOptions(Threads: 1) });
        var result = model.Predict([1, 7, 3, 3, 8]);

        var expected = ExpectedLogits([1, 7, 3, 3, 8]);
        Assert.That(result.Logits, Is.EqualTo(expected).Within(1e-5));
        Assert.That(result.Label, Is.EqualTo(Array.IndexOf(expected, expected.Max())));
        Assert.That(result.Probabilities!.Sum(), Is.EqualTo(1f).Within(1e-6));
    }

    [Test]
    public void ABatchComesBackInOrder()
    {
        using var model = InferenceModel.Load(_file);
        var rng = new Random(3);
        var sequences = Enumerable.Range(0, 17).Select(_ => Enumerable.Range(0, rng.Next(1, 12)).Select(_ => rng.Next(Vocabulary)).ToArray()).ToList();
        var results = model.Predict(sequences.Select((s, i) => PredictionRecord.FromTokens(RecordId.FromInteger(i), s)).ToList());
        for (int i = 0; i < sequences.Count; i++)
        {
            Assert.That(results[i].Id!.Value.Number, Is.EqualTo(i));
            Assert.That(results[i].Logits, Is.EqualTo(ExpectedLogits(sequences[i])).Within(1e-5), $"record {i}");
        }
    }

    [Test]
    public void ABadTokenIsNamedByItsStep()
    {
        using var model = InferenceModel.Load(_file);
        var e = Assert.Throws<ArgumentException>(() => model.Predict([1, 2, Vocabulary, 3]))!;
        Assert.That(e.ParamName, Is.EqualTo("tokens"));
        Assert.That(e.Message, Does.Contain($"token id {Vocabulary} at step 2"));

        var batch = new[] { PredictionRecord.FromTokens(RecordId.FromString("a"), [1]), PredictionRecord.FromTokens(RecordId.FromString("b"), [-1]) };
        var batchError = Assert.Throws<ArgumentException>(() => model.Predict(batch))!;
        Assert.That(batchError.Message, Does.Contain("Record 1 (id b)").And.Contain("at step 0"));
        Assert.That(Assert.Throws<ArgumentException>(() => model.Predict(Array.Empty<int>()))!.Message, Does.Contain("empty sequence"));
        Assert.Throws<ArgumentException>(() => model.Predict(new float[4], 2), "a classifier reads tokens, not features");
    }

    [Test]
    public void ConcurrentCallsEqualTheSameCallsMadeOneByOne()
    {
        using var model = InferenceModel.Load(_file, new() { Executor = new RnnExecutorOptions(Threads: 1) });
        var rng = new Random(8);
        var sequences = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, rng.Next(1, 20)).Select(_ => rng.Next(Vocabulary)).ToArray()).ToArray();
        var alone = sequences.Select(s => model.Predict(s).Logits!).ToArray();
        var together = new float[sequences.Length][];
        Parallel.For(0, sequences.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => together[i] = model.Predict(sequences[i]).Logits!);
        for (int i = 0; i < sequences.Length; i++) Assert.That(together[i], Is.EqualTo(alone[i]), $"sequence {i}");
    }

    [Test]
    public void ADisposedModelRefusesToPredict()
    {
        var model = InferenceModel.Load(_file);
        model.Dispose();
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Predict([1]));
    }
}
