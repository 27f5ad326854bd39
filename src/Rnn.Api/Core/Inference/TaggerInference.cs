using RnnNative.Models;

namespace RnnNative.Inference;

/// <summary>Many-to-many, as <see cref="SequenceTagger"/>: fc at every real step; labels by arg-max, optional softmax per step.</summary>
internal sealed class TaggerInference(ITokenInput input, RecurrentNetwork rnn, Linear fc, bool stepProbabilities) : InferenceModel
{
    public override ModelKind? Kind => ModelKind.Tagger;
    public override int? Classes => fc.OutputSize;

    /// <summary>The parts, for running the model step by step (streams).</summary>
    internal (ITokenInput Input, RecurrentNetwork Network, Linear Projection) Parts => (input, rnn, fc);
    public override string Description => $"tagger: vocabulary {input.VocabularySize} → {rnn.Spec} → {fc.OutputSize} classes per step";

    internal override string? Check(PredictionRecord record) => CheckTokens(record, input);

    internal override PredictionResult[] Run(IReadOnlyList<PredictionRecord> batch, PredictionStatistics statistics)
    {
        int n = batch.Count, steps = Longest(batch), width = rnn.Spec.OutputSize, classes = fc.OutputSize;
        using var pass = rnn.Run(input.Embed(batch.Select(r => r.Tokens!).ToList(), steps), Lengths(batch));
        statistics.AddPass(Useful(batch), (long)n * steps);
        var logits = new float[classes];
        var results = new PredictionResult[n];
        for (int b = 0; b < n; b++)
        {
            int length = batch[b].Length;
            var labels = new int[length];
            var probabilities = stepProbabilities ? new float[length * classes] : null;
            for (int t = 0; t < length; t++)
            {
                fc.Apply(pass.Output.Span.Slice((t * n + b) * width, width), logits);
                labels[t] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
                if (probabilities is not null) Activations.Softmax(logits, probabilities.AsSpan(t * classes, classes));
            }
            results[b] = new PredictionResult(batch[b]) { Labels = labels, StepProbabilities = probabilities };
        }
        return results;
    }

    private protected override void Release() => rnn.Dispose();
}
