namespace RnnNative.Samples;

/// <summary>The lecture examples as runnable samples, by name (<c>rnn sample &lt;name&gt;</c>).</summary>
public static class SampleCatalog
{
    public static IReadOnlyList<SampleInfo> All { get; } =
    [
        new("dogs", "a 3-unit RNN learns the next letter of d-o-g-s (one-hot letters)", DogsSample.Run),
        new("next-word", "embedding 10 -> LSTM 50 -> softmax predicts the next word of one sentence, then generates", NextWordSample.Run),
        new("names", "a character-level LSTM learns dinosaur names and invents new ones (temperature sampling)", DinosaurNamesSample.Run),
        new("tagging", "many-to-many: a bidirectional LSTM marks the names in sentences", NameTaggingSample.Run),
        new("sentiment", "many-to-one: an LSTM classifies review sentences, scored on held-out ones", SentimentSample.Run, SavesCheckpoint: true),
        new("sensors", "many sensor streams, one reading at a time: an LSTM flags anomalies at every step, streams batched together", SensorStreamsSample.Run),
        new("vanishing", "vanilla RNN vs LSTM on a 60-step memory task, with a plot of the gradient per time step", VanishingGradientSample.Run),
    ];

    public static IEnumerable<string> Names => All.Select(s => s.Name);

    public static SampleInfo Get(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown sample '{name}'; expected one of: {string.Join(", ", Names)}.", nameof(name));

    public static SampleResult Run(string name, TextWriter output, SampleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        return Get(name).Run(output, options ?? new SampleOptions());
    }
}
