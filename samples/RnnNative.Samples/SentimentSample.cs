using RnnNative.Models;
using RnnNative.Training;

namespace RnnNative.Samples;

/// <summary>
/// Sentiment as many-to-one: an LSTM reads a review sentence and its final state is classified positive or negative.
/// Every fifth bundled sentence is held out; the accuracy on those is what the sample reports.
/// </summary>
public static class SentimentSample
{
    private const string Unknown = "<unk>";

    public static SampleResult Run(TextWriter output, SampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        var (result, trained) = RunAndKeep(output, options);
        trained.Dispose();
        return result;
    }

    /// <summary>Runs the sample and keeps its model: every review (training ones first in file order, then held-out) with its label.</summary>
    public static TrainedClassifier Train(TextWriter output, SampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        return RunAndKeep(output, options).Trained;
    }

    private static (SampleResult Result, TrainedClassifier Trained) RunAndKeep(TextWriter output, SampleOptions options)
    {
        var (train, test) = Split();
        var vocabulary = BuildVocabulary(train);
        int[] Encode(Review r) => r.Words.Select(w => vocabulary.TryGet(w, out int id) ? id : 0).ToArray();
        TokenBatch Batch(IEnumerable<Review> rs) => TokenBatch.FromSequences(rs.Select(r => (IReadOnlyList<int>)Encode(r)).ToList());

        var config = new ModelConfig(ModelKind.Classifier, RnnCellKind.Lstm, vocabulary.Count, EmbeddingSize: 16, HiddenSize: 24, OutputSize: 2);
        var model = new SequenceClassifier(config, options.ResolvedBackend, options.Seed);
        var optimizer = new Adam(0.01);
        var rng = new Random(options.Seed);
        output.WriteLine($"sentiment: {train.Count} training and {test.Count} held-out reviews, vocabulary {vocabulary.Count}; embedding 16 -> {config.RnnSpec} -> 2 classes, backend {model.Backend.Name}, seed {options.Seed}");

        const int epochs = 30, batchSize = 16;
        double loss = 0;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var order = train.OrderBy(_ => rng.Next()).ToList();
            double total = 0;
            int batches = 0;
            for (int start = 0; start < order.Count; start += batchSize)
            {
                var part = order.Skip(start).Take(batchSize).ToList();
                total += model.TrainStep(Batch(part), part.Select(r => r.Label).ToArray(), optimizer);
                batches++;
            }
            loss = total / batches;
            if (epoch == 1 || epoch % 10 == 0) output.WriteLine($"  epoch {epoch,3}: loss {loss:F4}");
        }

        double Accuracy(List<Review> rs) => model.Predict(Batch(rs)).Zip(rs).Count(p => p.First == p.Second.Label) / (double)rs.Count;
        double trainAccuracy = Accuracy(train), testAccuracy = Accuracy(test);
        var predicted = model.Predict(Batch(test));
        var shown = test.Select((r, i) => $"{(predicted[i] == 1 ? '+' : '-')} {string.Join(' ', r.Words)}{(predicted[i] == r.Label ? "" : "   (wrong)")}").ToList();
        foreach (var line in shown) output.WriteLine($"  {line}");
        output.WriteLine($"  training accuracy {trainAccuracy:P1}; held-out accuracy {testAccuracy:P1} ({test.Count} sentences)");
        if (options.CheckpointPath is { } checkpoint)
        {
            ModelCheckpoint.Save(checkpoint, model);
            output.WriteLine($"  saved the trained model to {checkpoint} (token ids: the vocabulary of the training sentences, {Unknown} = 0)");
        }
        var result = new SampleResult("sentiment", new Dictionary<string, double>
        {
            ["loss"] = loss,
            ["train_accuracy"] = trainAccuracy,
            ["test_accuracy"] = testAccuracy,
        }, shown);
        var all = train.Concat(test).ToList();
        return (result, new TrainedClassifier("sentiment", model, all.Select(Encode).ToList(), all.Select(r => r.Label).ToList(), train.Select(Encode).ToList()));
    }

    /// <summary>The bundled reviews: every fifth one is held out, the rest train.</summary>
    internal static (List<Review> Train, List<Review> HeldOut) Split()
    {
        var reviews = SampleData.Lines("sentiment.txt").Select(Parse).ToList();
        return (reviews.Where((_, i) => i % 5 != 4).ToList(), reviews.Where((_, i) => i % 5 == 4).ToList());
    }

    /// <summary>Token ids in order of first appearance in the training sentences; id 0 stands for every unknown word.</summary>
    internal static Vocabulary BuildVocabulary(IEnumerable<Review> train) => new([Unknown, .. train.SelectMany(r => r.Words)]);

    private static Review Parse(string line)
    {
        if (line.Length < 3 || line[0] is not ('+' or '-') || line[1] != ' ')
            throw new InvalidOperationException($"Bad line in the bundled sentiment data: '{line}'.");
        return new Review(line[2..].Split(' ', StringSplitOptions.RemoveEmptyEntries), line[0] == '+' ? 1 : 0);
    }

    internal sealed record Review(string[] Words, int Label);
}
