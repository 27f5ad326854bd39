using System.Text;
using System.Text.Json;

namespace RnnNative.Samples;

/// <summary>
/// The demo's batch-inference dataset (samples/data/reviews.jsonl): reviews composed of one or more of the sentiment
/// sample's held-out sentences of one polarity, so the model has never trained on any of them. The number of sentences
/// per review is geometric (most reviews are short, a few are long), which gives the length spread batching has to deal
/// with. Each line is <c>{"id", "tokens", "label", "text"}</c>, token ids from <see cref="SentimentSample.BuildVocabulary"/>
/// (0 for words the training sentences never used). A few deliberately malformed records sit among them, so the demo
/// shows bad input being reported rather than lost.
/// </summary>
public static class SentimentReviews
{
    public const int DefaultCount = 3000;
    public const int DefaultSeed = 7;

    /// <summary>The longest review the demo accepts (<c>--max-length</c>); one bundled record is longer on purpose.</summary>
    public const int DemoMaxLength = 200;

    /// <summary>The class names in label order, as <c>rnn predict --labels</c> reads them (samples/data/sentiment-labels.txt).</summary>
    public static IReadOnlyList<string> LabelNames { get; } = ["negative", "positive"];

    /// <summary>The dataset's lines: <paramref name="count"/> well-formed reviews with the malformed records among them.</summary>
    public static IEnumerable<string> JsonLines(int count = DefaultCount, int seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var (train, heldOut) = SentimentSample.Split();
        var vocabulary = SentimentSample.BuildVocabulary(train);
        var byLabel = new[] { heldOut.Where(r => r.Label == 0).ToList(), heldOut.Where(r => r.Label == 1).ToList() };
        var rng = new Random(seed);
        var malformed = Malformed(vocabulary.Count);
        int every = Math.Max(1, count / (malformed.Count + 1));
        int next = 0;
        for (int i = 1; i <= count; i++)
        {
            int label = rng.Next(2);
            int sentences = 1;
            while (sentences < 20 && rng.NextDouble() < 0.6) sentences++;
            var words = new List<string>();
            for (int s = 0; s < sentences; s++) words.AddRange(byLabel[label][rng.Next(byLabel[label].Count)].Words);
            yield return Record($"r{i:D5}", words.Select(w => vocabulary.TryGet(w, out int id) ? id : 0), label, string.Join(' ', words));
            if (i % every == 0 && next < malformed.Count) yield return malformed[next++];
        }
        while (next < malformed.Count) yield return malformed[next++];
    }

    private static List<string> Malformed(int vocabularySize) =>
    [
        """{"id": "bad-json", "tokens": [12, 7, 3""",
        """{"tokens": [4, 9, 15], "label": 1, "text": "a record without an id"}""",
        Record("bad-token", [5, vocabularySize + 41, 2], 1, "a token id outside the vocabulary"),
        Record("empty", [], 0, ""),
        Record("too-long", Enumerable.Repeat(1, DemoMaxLength + 50), 1, $"{DemoMaxLength + 50} tokens, longer than --max-length {DemoMaxLength}"),
    ];

    private static string Record(string id, IEnumerable<int> tokens, int label, string text)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteStartArray("tokens");
            foreach (int t in tokens) json.WriteNumberValue(t);
            json.WriteEndArray();
            json.WriteNumber("label", label);
            json.WriteString("text", text);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
