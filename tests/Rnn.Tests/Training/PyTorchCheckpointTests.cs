using RnnNative.Formats;
using RnnNative.Managed;
using RnnNative.Models;
using RnnNative.Training;

namespace RnnNative.Tests.Training;

/// <summary>
/// A classifier trained and saved by PyTorch (tests/golden/training/generate_classifier.py) loads unchanged into
/// <see cref="SequenceClassifier"/> and predicts what PyTorch predicted; and our own checkpoints round-trip a model
/// with its optimizer state.
/// </summary>
public class PyTorchCheckpointTests
{
    private static string Golden(string file) => Path.Combine(AppContext.BaseDirectory, "golden", "training", file);

    private static readonly ModelConfig PyTorchClassifier =
        new(ModelKind.Classifier, RnnCellKind.Lstm, VocabularySize: 11, EmbeddingSize: 6, HiddenSize: 5, OutputSize: 3, NumLayers: 2);

    private static TokenBatch GoldenBatch()
    {
        var tokens = NpyReader.ReadInt32(Golden("tokens.npy"));
        var lengths = NpyReader.ReadInt32(Golden("lengths.npy")).Data;
        int width = tokens.Shape[1];
        var sequences = lengths.Select((len, n) => (IReadOnlyList<int>)tokens.Data.Skip(n * width).Take(len).ToArray()).ToList();
        return TokenBatch.FromSequences(sequences);
    }

    [Test]
    public void PyTorchMadeClassifierPredictsIdentically()
    {
        using var model = new SequenceClassifier(PyTorchClassifier, ManagedBackend.Instance, seed: 99);
        ModelCheckpoint.Restore(Golden("classifier.safetensors"), model);
        var batch = GoldenBatch();
        var expected = NpyReader.ReadFloat32(Golden("logits.npy"));

        var logits = model.Logits(batch);
        TensorAssert.Close(logits, expected, 1e-5, "logits against PyTorch (float64)");
        int classes = expected.Dim(1);
        var torchClasses = Enumerable.Range(0, batch.Batch)
            .Select(n => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(expected.Span.Slice(n * classes, classes))).ToArray();
        Assert.That(model.Predict(batch), Is.EqualTo(torchClasses));
        Assert.That(torchClasses.Distinct().Count(), Is.GreaterThan(1), "the golden batch should exercise more than one class");
    }

    [Test]
    public void CheckpointRoundTripsParametersAndAdamState()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rnn-checkpoint-{Guid.NewGuid()}.safetensors");
        try
        {
            var batch = GoldenBatch();
            int[] labels = [0, 1, 2, 1, 0];
            using var model = new SequenceClassifier(PyTorchClassifier, ManagedBackend.Instance, seed: 5);
            var adam = new Adam(0.01);
            for (int i = 0; i < 3; i++) model.TrainStep(batch, labels, adam);
            TrainingCheckpoint.Save(path, model, adam);

            Assert.That(ModelCheckpoint.ReadConfig(path), Is.EqualTo(PyTorchClassifier));
            using var restored = new SequenceClassifier(PyTorchClassifier, ManagedBackend.Instance, seed: 6);
            var restoredAdam = new Adam(0.01);
            TrainingCheckpoint.Restore(path, restored, restoredAdam);
            Assert.That(restoredAdam.StepCount, Is.EqualTo(3));
            Assert.That(restored.Logits(batch).Span.ToArray(), Is.EqualTo(model.Logits(batch).Span.ToArray()));

            // The next step from the restored state is the step the original takes.
            double lossOriginal = model.TrainStep(batch, labels, adam);
            double lossRestored = restored.TrainStep(batch, labels, restoredAdam);
            Assert.That(lossRestored, Is.EqualTo(lossOriginal));
            Assert.That(restored.Logits(batch).Span.ToArray(), Is.EqualTo(model.Logits(batch).Span.ToArray()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void CheckpointOfAnotherConfigurationIsRefused()
    {
        using var model = new SequenceClassifier(PyTorchClassifier with { HiddenSize = 4 }, ManagedBackend.Instance, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => ModelCheckpoint.Restore(Golden("classifier.safetensors"), model));
        Assert.That(e!.Message, Does.Contain("rnn.weight_ih_l0"));
    }
}
