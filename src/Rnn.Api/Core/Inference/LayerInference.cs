using RnnNative.Models;

namespace RnnNative.Inference;

/// <summary>A bare RNN layer over feature rows: the final hidden state (L·D rows of H) and, when asked, every step's output.</summary>
internal sealed class LayerInference(RecurrentNetwork rnn, bool fullOutput) : InferenceModel
{
    public override ModelKind? Kind => null;

    /// <summary>The layer, for running it step by step (streams).</summary>
    internal RecurrentNetwork Network => rnn;
    public override string Description => $"RNN layer {rnn.Spec}";

    internal override string? Check(PredictionRecord record)
    {
        if (record.Features is null) return "the model reads \"features\", but the record has \"tokens\"";
        if (record.FeatureSteps == 0) return "empty sequence";
        int width = record.Features.Length / record.FeatureSteps;
        return width == rnn.Spec.InputSize ? null : $"feature rows have {width} values; the model reads {rnn.Spec.InputSize}";
    }

    internal override PredictionResult[] Run(IReadOnlyList<PredictionRecord> batch, PredictionStatistics statistics)
    {
        int n = batch.Count, steps = Longest(batch), inputSize = rnn.Spec.InputSize, h = rnn.Spec.HiddenStateSize;
        var x = RnnTensors.Zeros(steps, n, inputSize);
        for (int b = 0; b < n; b++)
        {
            var features = batch[b].Features!;
            for (int t = 0; t < batch[b].FeatureSteps; t++)
                features.AsSpan(t * inputSize, inputSize).CopyTo(x.Span.Slice((t * n + b) * inputSize));
        }
        using var pass = rnn.Run(x, Lengths(batch));
        statistics.AddPass(Useful(batch), (long)n * steps);
        int rows = rnn.Spec.NumLayers * rnn.Spec.Directions, width = rnn.Spec.OutputSize;
        var results = new PredictionResult[n];
        for (int b = 0; b < n; b++)
        {
            var hidden = new float[rows * h];
            for (int r = 0; r < rows; r++) pass.Hidden.Span.Slice((r * n + b) * h, h).CopyTo(hidden.AsSpan(r * h));
            float[]? output = null;
            if (fullOutput)
            {
                output = new float[batch[b].FeatureSteps * width];
                for (int t = 0; t < batch[b].FeatureSteps; t++) pass.Output.Span.Slice((t * n + b) * width, width).CopyTo(output.AsSpan(t * width));
            }
            results[b] = new PredictionResult(batch[b]) { Hidden = hidden, HiddenRows = rows, Output = output };
        }
        return results;
    }

    private protected override void Release() => rnn.Dispose();
}
