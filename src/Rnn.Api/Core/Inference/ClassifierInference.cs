using RnnNative.Models;

namespace RnnNative.Inference;

/// <summary>
/// Many-to-one, as <see cref="SequenceClassifier"/>: the last layer's final state (directions side by side) → fc →
/// softmax; the label is the arg-max of the logits.
/// </summary>
internal sealed class ClassifierInference(ITokenInput input, RecurrentNetwork rnn, Linear fc) : InferenceModel
{
    public override ModelKind? Kind => ModelKind.Classifier;
    public override int? Classes => fc.OutputSize;

    /// <summary>The parts, for running the model step by step (streams).</summary>
    internal (ITokenInput Input, RecurrentNetwork Network, Linear Projection) Parts => (input, rnn, fc);
    public override string Description => $"classifier: vocabulary {input.VocabularySize} → {rnn.Spec} → {fc.OutputSize} classes";

    internal override string? Check(PredictionRecord record) => CheckTokens(record, input);

    internal override PredictionResult[] Run(IReadOnlyList<PredictionRecord> batch, PredictionStatistics statistics)
    {
        int n = batch.Count, steps = Longest(batch);
        using var pass = rnn.Run(input.Embed(batch.Select(r => r.Tokens!).ToList(), steps), Lengths(batch));
        statistics.AddPass(Useful(batch), (long)n * steps);
        var features = new float[rnn.Spec.OutputSize];
        var results = new PredictionResult[n];
        for (int b = 0; b < n; b++)
        {
            LastLayerState.Gather(rnn.Spec, pass.Hidden.Span, n, b, features);
            var logits = new float[fc.OutputSize];
            fc.Apply(features, logits);
            var probabilities = new float[fc.OutputSize];
            Activations.Softmax(logits, probabilities);
            results[b] = new PredictionResult(batch[b])
            {
                Label = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits),
                Probabilities = probabilities,
                Logits = logits,
            };
        }
        return results;
    }

    private protected override void Release() => rnn.Dispose();
}
