using RnnNative.Models;
using RnnNative.Training;

namespace RnnNative.Samples;

/// <summary>
/// The notes' dinosaur-names exercise: a character-level LSTM reads each bundled genus name (lower case, between
/// newline markers) and learns to predict the next character; then it invents names by sampling one character at a time
/// with a temperature and feeding it back, until it emits the end marker.
/// </summary>
public static class DinosaurNamesSample
{
    private const string Boundary = "\n";

    public static SampleResult Run(TextWriter output, SampleOptions options) => Run(output, options, epochs: 12, temperature: 0.7, count: 10);

    public static SampleResult Run(TextWriter output, SampleOptions options, int epochs, double temperature, int count)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        var names = SampleData.Lines("dinos.txt").Select(n => n.ToLowerInvariant()).ToList();
        var vocabulary = new Vocabulary([Boundary, .. "abcdefghijklmnopqrstuvwxyz".Select(c => c.ToString())]);
        var sequences = names.Select(n => (IReadOnlyList<int>)[0, .. n.Select(c => vocabulary[c.ToString()]), 0]).ToList();

        var config = new ModelConfig(ModelKind.Generator, RnnCellKind.Lstm, vocabulary.Count, EmbeddingSize: 16, HiddenSize: 48, OutputSize: vocabulary.Count);
        using var model = new SequenceGenerator(config, options.ResolvedBackend, options.Seed);
        var optimizer = new Adam(0.01);
        var settings = new TrainingSettings(MaxGradientNorm: 5);
        var rng = new Random(options.Seed);
        output.WriteLine($"names: {names.Count} dinosaur names, {vocabulary.Count} characters; embedding 16 -> {config.RnnSpec} -> softmax, backend {model.Backend.Name}, seed {options.Seed}");

        const int batchSize = 32;
        double firstLoss = double.NaN, lastLoss = 0;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var order = sequences.OrderBy(_ => rng.Next()).ToList();
            double total = 0;
            int batches = 0;
            for (int start = 0; start < order.Count; start += batchSize)
            {
                total += model.TrainStep(order.Skip(start).Take(batchSize).ToList(), optimizer, settings);
                batches++;
            }
            lastLoss = total / batches;
            if (epoch == 1) firstLoss = lastLoss;
            output.WriteLine($"  epoch {epoch,2}: mean loss per character {lastLoss:F3} (uniform guessing: {Math.Log(vocabulary.Count):F3})");
        }

        var known = names.ToHashSet();
        var generated = new List<string>();
        var sampling = SamplingStrategy.WithTemperature(temperature);
        for (int i = 0; i < count; i++)
        {
            string name = vocabulary.Decode(model.Generate([0], 30, sampling, rng, stopToken: 0));
            generated.Add(name.Length > 0 ? char.ToUpperInvariant(name[0]) + name[1..] : name);
        }
        int novel = generated.Count(g => !known.Contains(g.ToLowerInvariant()));
        output.WriteLine($"  {count} new names at temperature {temperature}: {string.Join(", ", generated)}");
        output.WriteLine($"  {novel} of {count} are not in the training list");
        return new SampleResult("names", new Dictionary<string, double>
        {
            ["first_epoch_loss"] = firstLoss,
            ["loss"] = lastLoss,
            ["novel_fraction"] = novel / (double)count,
        }, generated);
    }
}
