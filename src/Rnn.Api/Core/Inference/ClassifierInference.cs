using RnnNative.Models;

namespace RnnNative.Inference;

/// <summary>
/// Many-to-one, as <see cref="SequenceClassifier"/>: the last layer's final state (directions side by side) → fc →
/// softmax; the label is the arg-max of the logits.
/// </summary>
internal sealed class ClassifierInference(TokenInputTable input, RecurrentNetwork rnn, OutputProjection fc) : InferenceModel
{
    public override ModelKind? Kind => ModelKind.Classifier;
    public override int? Classes => fc.Classes;

    /// <summary>The parts, for running the model step by step (streams).</summary>
    internal (TokenInputTable Input, RecurrentNetwork Network, OutputProjection Projection) Parts => (input, rnn, fc);
    public override string Description => $"classifier: vocabulary {input.VocabularySize} → {rnn.Spec} → {fc.Classes} classes";

    internal override string? Check(PredictionRecord record) => CheckTokens(record, input);

    internal override PredictionResult[] Run(IReadOnlyList<PredictionRecord> batch, PredictionStatistics statistics)
    {
        int n = batch.Count, steps = Longest(batch), h = rnn.Spec.HiddenStateSize, dirs = rnn.Spec.Directions;
        using var pass = rnn.Run(input.Embed(batch.Select(r => r.Tokens!).ToList(), steps), Lengths(batch));
        statistics.AddPass(Useful(batch), (long)n * steps);
        int first = (rnn.Spec.NumLayers - 1) * dirs;
        var features = new float[dirs * h];
        var logits = new float[fc.Classes];
        var results = new PredictionResult[n];
        for (int b = 0; b < n; b++)
        {
            for (int d = 0; d < dirs; d++)
                pass.Hidden.Span.Slice(((first + d) * n + b) * h, h).CopyTo(features.AsSpan(d * h));
            fc.Logits(features, logits);
            var probabilities = new float[fc.Classes];
            OutputProjection.Softmax(logits, probabilities);
            results[b] = new PredictionResult(batch[b])
            {
                Label = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits),
                Probabilities = probabilities,
            };
        }
        return results;
    }

    public override void Dispose() => rnn.Dispose();
}
