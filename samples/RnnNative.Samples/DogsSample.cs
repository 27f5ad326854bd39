using System.Globalization;
using RnnNative.Models;
using RnnNative.Training;

namespace RnnNative.Samples;

/// <summary>
/// The lecture notes' first example: the alphabet d, o, g, s as one-hot vectors, a 3-unit tanh RNN and a softmax over
/// the 4 letters. Reading "dog" one letter at a time it learns to predict "ogs": the next letter at every step.
/// </summary>
public static class DogsSample
{
    public static SampleResult Run(TextWriter output, SampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        var letters = new Vocabulary(["d", "o", "g", "s"]);
        var config = new ModelConfig(ModelKind.Tagger, RnnCellKind.RnnTanh, VocabularySize: 4, EmbeddingSize: 0, HiddenSize: 3, OutputSize: 4);
        using var model = new SequenceTagger(config, options.ResolvedBackend, options.Seed);
        var input = TokenBatch.FromSequences([letters.Encode(["d", "o", "g"])]);
        int[][] target = [letters.Encode(["o", "g", "s"])];
        var optimizer = new Adam(0.05);

        output.WriteLine($"dogs: one-hot d,o,g,s -> {config.RnnSpec} -> softmax(4), backend {model.Backend.Name}, seed {options.Seed}");
        double loss = 0;
        const int steps = 150;
        for (int step = 1; step <= steps; step++)
        {
            loss = model.TrainStep(input, target, optimizer);
            if (step == 1 || step % 50 == 0) output.WriteLine($"  step {step,3}: loss {loss:F4}");
        }

        var (logits, _) = model.Logits(input);
        var probabilities = Activations.Softmax(logits);
        int correct = 0;
        var predicted = new List<string>();
        for (int t = 0; t < 3; t++)
        {
            var p = probabilities.Span.Slice(t * 4, 4).ToArray();
            int best = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(p);
            predicted.Add(letters[best]);
            if (best == target[0][t]) correct++;
            string dist = string.Join(" ", Enumerable.Range(0, 4).Select(i => $"{letters[i]}={p[i].ToString("F2", CultureInfo.InvariantCulture)}"));
            output.WriteLine($"  after '{letters[input[t, 0]]}' the model predicts '{letters[best]}'  ({dist})");
        }
        output.WriteLine($"  learned: d -> {string.Join(" -> ", predicted)}  ({correct}/3 correct)");
        return new SampleResult("dogs",
            new Dictionary<string, double> { ["accuracy"] = correct / 3.0, ["loss"] = loss },
            [string.Concat(predicted)]);
    }
}
