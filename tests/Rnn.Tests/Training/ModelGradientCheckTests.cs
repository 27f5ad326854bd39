using RnnNative.Managed;
using RnnNative.Models;
using RnnNative.Training;

namespace RnnNative.Tests.Training;

/// <summary>
/// Whole ready models (token input, RNN on the managed backend, head, loss) against finite differences of their own loss:
/// a few elements of every parameter tensor. This checks the wiring — last-state selection with lengths, both directions,
/// per-step masking, the encoder-to-decoder state hand-over — not just the parts.
/// </summary>
public class ModelGradientCheckTests
{
    private static void CheckModel(SequenceModel model, Func<double> loss)
    {
        model.ZeroGradients();
        loss();
        var analytic = model.Parameters.Select(p => p.Gradient.Clone()).ToList();
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            var p = model.Parameters[i];
            Assert.That(analytic[i].Span.ToArray().Any(g => g != 0f), $"{p.Name} gets a gradient");
            FiniteDifferences.Check(p.Name, () =>
            {
                model.PushParameters();
                model.ZeroGradients();
                return loss();
            }, p.Value, analytic[i], 1e-2, 3e-3, samples: 5, seed: i);
        }
    }

    [Test]
    public void Classifier_BidirectionalGruTwoLayers_WithLengths()
    {
        var config = new ModelConfig(ModelKind.Classifier, RnnCellKind.Gru, VocabularySize: 7, EmbeddingSize: 4, HiddenSize: 5, OutputSize: 3, NumLayers: 2, Bidirectional: true);
        using var model = new SequenceClassifier(config, ManagedBackend.Instance, seed: 3);
        var batch = TokenBatch.FromSequences([[1, 2, 3, 4], [5, 6], [0, 3, 3]]);
        CheckModel(model, () => model.ComputeGradients(batch, [2, 0, 1], classWeights: [1f, 2f, 0.5f]));
    }

    [Test]
    public void Tagger_LstmWithDropout_WithLengths()
    {
        var config = new ModelConfig(ModelKind.Tagger, RnnCellKind.Lstm, VocabularySize: 6, EmbeddingSize: 3, HiddenSize: 4, OutputSize: 2, NumLayers: 2, Dropout: 0.3);
        var batch = TokenBatch.FromSequences([[1, 2, 3], [4, 5], [0, 1, 2]]);
        var tags = batch.AlignTimeMajor([[0, 1, 0], [1, 1], [0, 0, 1]], "tags");
        // Dropout masks differ per call, so each evaluation uses a fresh model built from the same seed (same first mask).
        using var model = new SequenceTagger(config, ManagedBackend.Instance, seed: 5);
        model.ComputeGradients(batch, tags);
        var analytic = model.Parameters.Select(p => p.Gradient.Clone()).ToList();
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            int index = i;
            FiniteDifferences.Check(model.Parameters[i].Name, () =>
            {
                using var fresh = new SequenceTagger(config, ManagedBackend.Instance, seed: 5);
                model.Parameters[index].Value.Span.CopyTo(fresh.Parameters[index].Value.Span);
                fresh.PushParameters();
                return fresh.ComputeGradients(batch, tags).Loss;
            }, model.Parameters[i].Value, analytic[i], 1e-2, 3e-3, samples: 4, seed: i);
        }
    }

    [Test]
    public void EncoderDecoder_LstmStateHandOver()
    {
        var config = new ModelConfig(ModelKind.EncoderDecoder, RnnCellKind.Lstm, VocabularySize: 5, EmbeddingSize: 3, HiddenSize: 4, OutputSize: 6);
        using var model = new EncoderDecoder(config, ManagedBackend.Instance, seed: 7, beginToken: 0, endToken: 1);
        IReadOnlyList<int>[] sources = [[1, 2, 3], [4, 2]];
        IReadOnlyList<int>[] targets = [[2, 3], [5, 4, 3]];
        CheckModel(model, () => model.ComputeGradients(sources, targets));
        Assert.That(model.Parameters.Select(p => p.Name), Does.Contain("encoder.rnn.weight_hh_l0").And.Contain("decoder.fc.bias").And.Contain("decoder.embedding.weight"));
    }

    [Test]
    public void Generator_OneHotRnn()
    {
        var config = new ModelConfig(ModelKind.Generator, RnnCellKind.RnnTanh, VocabularySize: 4, EmbeddingSize: 0, HiddenSize: 3, OutputSize: 4);
        using var model = new SequenceGenerator(config, ManagedBackend.Instance, seed: 9);
        var batch = TokenBatch.FromSequences([[0, 1, 2], [3, 2]]);
        var targets = batch.AlignTimeMajor([[1, 2, 3], [2, 1]], "targets");
        CheckModel(model, () => model.ComputeGradients(batch, targets).Loss);
        Assert.That(model.Parameters.Select(p => p.Name), Is.EqualTo(new[] { "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "fc.weight", "fc.bias" }));
    }
}
