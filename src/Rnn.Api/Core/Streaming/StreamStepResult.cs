namespace RnnNative.Streaming;

/// <summary>
/// What a model stream answers for one request of k steps. <see cref="Output"/> is always there; a tagger or a
/// classifier adds, at every step, the label and the class probabilities the model gives for the stream so far.
/// </summary>
public sealed class StreamStepResult
{
    internal StreamStepResult(int steps, float[] output, int[]? labels, float[]? probabilities, int classes)
    {
        Steps = steps;
        Output = output;
        Labels = labels;
        Probabilities = probabilities;
        Classes = classes;
    }

    /// <summary>k, the steps this request ran.</summary>
    public int Steps { get; }

    /// <summary>The top layer's output after each step, k × output_size.</summary>
    public float[] Output { get; }

    /// <summary>The arg-max class after each step (k values); null for a bare layer. A tagger's labels.</summary>
    public int[]? Labels { get; }

    /// <summary>The softmax over classes after each step, k × classes; null for a bare layer.</summary>
    public float[]? Probabilities { get; }

    /// <summary>The number of classes, or 0 for a bare layer.</summary>
    public int Classes { get; }

    /// <summary>The label after the request's last step: a classifier's answer for the stream so far.</summary>
    public int? Label => Labels is null ? null : Labels[^1];

    /// <summary>The probabilities after the request's last step.</summary>
    public ReadOnlySpan<float> LastProbabilities => Probabilities is null ? default : Probabilities.AsSpan((Steps - 1) * Classes, Classes);
}
