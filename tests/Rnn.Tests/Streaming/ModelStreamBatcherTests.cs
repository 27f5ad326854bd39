using RnnNative.Models;
using RnnNative.Inference;
using RnnNative.Managed;
using RnnNative.Streaming;

namespace RnnNative.Tests.Streaming;

/// <summary>
/// Whole models step by step: a tagger's labels and a classifier's probabilities after each request must equal the
/// same model run by batch inference (not by streams) on the stream's tokens so far.
/// </summary>
[TestFixture]
public class ModelStreamBatcherTests
{
    private const int Vocabulary = 11, Classes = 4;
    private static readonly RnnSpec Spec = new(RnnCellKind.Lstm, 5, 8, numLayers: 2);

    private static (ITokenInput, RecurrentNetwork, Linear) Parts(int seed)
    {
        var rng = new Random(seed);
        var embedding = RnnTensors.Create(StreamReference.RandomValues(rng, Vocabulary * Spec.InputSize), Vocabulary, Spec.InputSize);
        var weight = RnnTensors.Create(StreamReference.RandomValues(rng, Classes * Spec.OutputSize), Classes, Spec.OutputSize);
        var bias = RnnTensors.Create(StreamReference.RandomValues(rng, Classes), Classes);
        return (new Embedding(new Parameter("embedding.weight", embedding)),
            new RecurrentNetwork(RnnParameters.InitializeUniform(Spec, seed), ManagedBackend.Instance, RnnExecutorOptions.Default),
            new Linear(new Parameter("fc.weight", weight), new Parameter("fc.bias", bias)));
    }

    private static int[][] Requests(int seed, int count)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, rng.Next(1, 4)).Select(_ => rng.Next(Vocabulary)).ToArray()).ToArray();
    }

    [Test]
    public async Task TaggerLabelsPerStepEqualTheWholeSequenceTagged()
    {
        var (input, rnn, fc) = Parts(1);
        using var tagger = new TaggerInference(input, rnn, fc, stepProbabilities: false);
        using var streams = new ModelStreamBatcher(tagger, new RnnStreamOptions { MaxBatchSize = 4 });
        var a = Requests(2, 6);
        var b = Requests(3, 5);
        var pending = new List<Task<StreamStepResult>>();
        for (int i = 0; i < 6; i++)
        {
            pending.Add(streams.StepAsync("a", a[i]));
            if (i < b.Length) pending.Add(streams.StepAsync("b", b[i]));
        }
        var results = await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(30));
        var aLabels = results.Where((_, i) => i % 2 == 0 || i >= 10).SelectMany(r => r.Labels!).ToArray();
        var bLabels = results.Where((_, i) => i % 2 == 1 && i < 10).SelectMany(r => r.Labels!).ToArray();

        var whole = tagger.Run([PredictionRecord.FromTokens(RecordId.FromString("a"), a.SelectMany(t => t).ToArray()),
            PredictionRecord.FromTokens(RecordId.FromString("b"), b.SelectMany(t => t).ToArray())], new PredictionStatistics());
        Assert.That(aLabels, Is.EqualTo(whole[0].Labels));
        Assert.That(bLabels, Is.EqualTo(whole[1].Labels));
    }

    [Test]
    public async Task ClassifierProbabilitiesAfterEachRequestEqualThePrefixClassified()
    {
        var (input, rnn, fc) = Parts(4);
        using var classifier = new ClassifierInference(input, rnn, fc);
        using var streams = new ModelStreamBatcher(classifier);
        var requests = Requests(5, 5);
        var prefix = new List<int>();
        foreach (var tokens in requests)
        {
            var result = await streams.StepAsync("s", tokens).WaitAsync(TimeSpan.FromSeconds(30));
            prefix.AddRange(tokens);
            var expected = classifier.Run([PredictionRecord.FromTokens(RecordId.FromInteger(0), prefix.ToArray())], new PredictionStatistics())[0];
            Assert.That(result.Label, Is.EqualTo(expected.Label));
            StreamReference.AssertClose(result.LastProbabilities, expected.Probabilities, 1e-5, $"probabilities after {prefix.Count} tokens");
        }
    }

    [Test]
    public void BadTokensAndTheWrongKindOfInputAreRefused()
    {
        var (input, rnn, fc) = Parts(6);
        using var tagger = new TaggerInference(input, rnn, fc, stepProbabilities: false);
        using var streams = new ModelStreamBatcher(tagger);
        var e = Assert.Throws<ArgumentException>(() => streams.StepAsync("a", [1, Vocabulary]));
        Assert.That(e!.Message, Does.Contain("outside the vocabulary"));
        Assert.Throws<ArgumentException>(() => streams.StepAsync("a", Array.Empty<int>()));
        Assert.Throws<InvalidOperationException>(() => streams.StepAsync("a", new float[Spec.InputSize].AsMemory()));
        Assert.That(streams.Streams.LiveStreams, Is.EqualTo(0));
    }
}
