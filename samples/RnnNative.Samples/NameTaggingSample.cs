using RnnNative.Models;
using RnnNative.Training;

namespace RnnNative.Samples;

/// <summary>
/// Name detection as many-to-many tagging (the notes' "Why don't you ask John"): every word gets 1 if it is a name,
/// 0 otherwise. A bidirectional LSTM sees the words on both sides of each one. Trained on the bundled sentences but the
/// last ten, scored on those ten (new sentences; words unseen in training read as &lt;unk&gt;).
/// </summary>
public static class NameTaggingSample
{
    private const int HeldOut = 10;
    private const string Unknown = "<unk>";

    public static SampleResult Run(TextWriter output, SampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        var sentences = SampleData.Lines("names.txt").Select(Parse).ToList();
        var train = sentences[..^HeldOut];
        var test = sentences[^HeldOut..];
        var vocabulary = new Vocabulary([Unknown, .. train.SelectMany(s => s.Words)]);
        int[] Encode(string[] words) => words.Select(w => vocabulary.TryGet(w, out int id) ? id : 0).ToArray();

        var config = new ModelConfig(ModelKind.Tagger, RnnCellKind.Lstm, vocabulary.Count, EmbeddingSize: 16, HiddenSize: 16, OutputSize: 2, Bidirectional: true);
        using var model = new SequenceTagger(config, options.ResolvedBackend, options.Seed);
        var optimizer = new Adam(0.02);
        var trainBatch = TokenBatch.FromSequences(train.Select(s => (IReadOnlyList<int>)Encode(s.Words)).ToList());
        var trainTags = train.Select(s => (IReadOnlyList<int>)s.Tags).ToList();
        output.WriteLine($"tagging: {train.Count} training and {test.Count} held-out sentences, vocabulary {vocabulary.Count}; embedding 16 -> {config.RnnSpec} -> 2 classes per word, backend {model.Backend.Name}, seed {options.Seed}");

        double loss = 0;
        const int epochs = 60;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            loss = model.TrainStep(trainBatch, trainTags, optimizer);
            if (epoch == 1 || epoch % 20 == 0) output.WriteLine($"  epoch {epoch,3}: loss {loss:F4}");
        }

        var trainScore = Score(model.Predict(trainBatch), train);
        var predicted = model.Predict(TokenBatch.FromSequences(test.Select(s => (IReadOnlyList<int>)Encode(s.Words)).ToList()));
        var testScore = Score(predicted, test);
        var shown = test.Select((s, i) => string.Join(' ', s.Words.Select((w, j) => predicted[i][j] == 1 ? $"[{w}]" : w))).ToList();
        foreach (var line in shown) output.WriteLine($"  {line}");
        output.WriteLine($"  training word accuracy {trainScore.Accuracy:P1}; held-out word accuracy {testScore.Accuracy:P1}, names found {testScore.Found}/{testScore.Names}, false alarms {testScore.FalseAlarms}");
        return new SampleResult("tagging", new Dictionary<string, double>
        {
            ["loss"] = loss,
            ["train_accuracy"] = trainScore.Accuracy,
            ["test_accuracy"] = testScore.Accuracy,
            ["test_name_recall"] = testScore.Found / (double)testScore.Names,
            ["test_false_alarms"] = testScore.FalseAlarms,
        }, shown);
    }

    private static TaggedSentence Parse(string line)
    {
        var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new TaggedSentence(tokens.Select(t => t.TrimStart('*')).ToArray(), tokens.Select(t => t.StartsWith('*') ? 1 : 0).ToArray());
    }

    private static (double Accuracy, int Found, int Names, int FalseAlarms) Score(int[][] predicted, IReadOnlyList<TaggedSentence> sentences)
    {
        int correct = 0, total = 0, found = 0, names = 0, falseAlarms = 0;
        for (int i = 0; i < sentences.Count; i++)
            for (int j = 0; j < sentences[i].Tags.Length; j++)
            {
                int truth = sentences[i].Tags[j], guess = predicted[i][j];
                total++;
                if (truth == guess) correct++;
                if (truth == 1) names++;
                if (truth == 1 && guess == 1) found++;
                if (truth == 0 && guess == 1) falseAlarms++;
            }
        return (correct / (double)total, found, names, falseAlarms);
    }

    private sealed record TaggedSentence(string[] Words, int[] Tags);
}
