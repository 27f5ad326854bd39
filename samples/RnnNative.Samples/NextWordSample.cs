using RnnNative.Models;
using RnnNative.Training;

namespace RnnNative.Samples;

/// <summary>
/// The notes' next-word model: from "I love recurrent neural network and convolution neural network", each word is an
/// input and the word after it the label (8 pairs); embedding 10 → LSTM 50 → softmax over the 7-word vocabulary.
/// The notes' Keras run reached 87.5% (7 of 8). Then it generates from "convolution" by feeding each predicted word back.
/// </summary>
public static class NextWordSample
{
    public const string Sentence = "I love recurrent neural network and convolution neural network";

    public static SampleResult Run(TextWriter output, SampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        var (result, trained) = RunAndKeep(output, options);
        trained.Dispose();
        return result;
    }

    /// <summary>Runs the sample and keeps its model, with its 8 (word → next word) pairs.</summary>
    public static TrainedClassifier Train(TextWriter output, SampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        return RunAndKeep(output, options).Trained;
    }

    private static (SampleResult Result, TrainedClassifier Trained) RunAndKeep(TextWriter output, SampleOptions options)
    {
        var words = Sentence.Split(' ');
        var vocabulary = new Vocabulary(words);
        var inputs = words[..^1].Select(w => (IReadOnlyList<int>)[vocabulary[w]]).ToList();
        var labels = words[1..].Select(w => vocabulary[w]).ToArray();
        var batch = TokenBatch.FromSequences(inputs);

        var config = new ModelConfig(ModelKind.Classifier, RnnCellKind.Lstm, vocabulary.Count, EmbeddingSize: 10, HiddenSize: 50, OutputSize: vocabulary.Count);
        var model = new SequenceClassifier(config, options.ResolvedBackend, options.Seed);
        var optimizer = new Adam(0.01);
        output.WriteLine($"next-word: {inputs.Count} (word -> next word) pairs, vocabulary {vocabulary.Count}; embedding 10 -> {config.RnnSpec} -> softmax, backend {model.Backend.Name}, seed {options.Seed}");

        double loss = 0, accuracy = 0;
        const int epochs = 100;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            loss = model.TrainStep(batch, labels, optimizer);
            accuracy = model.Predict(batch).Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
            if (epoch == 1 || epoch % 25 == 0) output.WriteLine($"  epoch {epoch,3}: loss {loss:F4}  training accuracy {accuracy:P1}");
        }

        var generated = new List<string> { "convolution" };
        while (generated.Count < 3)
            generated.Add(vocabulary[model.Predict(TokenBatch.FromSequences([[vocabulary[generated[^1]]]]))[0]]);
        string text = string.Join(' ', generated);
        output.WriteLine($"  generated from \"convolution\": \"{text}\"");
        var sequences = inputs.Select(i => i.ToArray()).ToList();
        return (new SampleResult("next-word", new Dictionary<string, double> { ["accuracy"] = accuracy, ["loss"] = loss }, [text]),
            new TrainedClassifier("next-word", model, sequences, labels, sequences));
    }
}
