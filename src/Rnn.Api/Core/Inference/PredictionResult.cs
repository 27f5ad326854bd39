namespace RnnNative.Inference;

/// <summary>
/// What the model said about one record, or why it could not (<see cref="Error"/>). Which payload is set depends on
/// the model: a classifier sets <see cref="Label"/> and <see cref="Probabilities"/>; a tagger <see cref="Labels"/> and,
/// when asked, <see cref="StepProbabilities"/>; a generator or encoder-decoder <see cref="Tokens"/>; a bare RNN layer
/// <see cref="Hidden"/> and, when asked, <see cref="Output"/>.
/// </summary>
public sealed class PredictionResult
{
    internal PredictionResult(PredictionRecord record) => Record = record;

    public PredictionRecord Record { get; }
    public RecordId? Id => Record.Id;
    public string? Error { get; internal init; }
    public bool IsError => Error is not null;

    public int Label { get; internal init; }
    /// <summary>Softmax over the classes.</summary>
    public float[]? Probabilities { get; internal init; }
    /// <summary>A classifier's logits (the output layer before the softmax), one per class.</summary>
    public float[]? Logits { get; internal init; }
    /// <summary>One class per step.</summary>
    public int[]? Labels { get; internal init; }
    /// <summary>Softmax per step: T × classes, row-major.</summary>
    public float[]? StepProbabilities { get; internal init; }
    /// <summary>The generated continuation (without the prompt), or the decoded target sequence.</summary>
    public int[]? Tokens { get; internal init; }
    /// <summary>Final hidden state: layers·directions rows of hidden size, row-major.</summary>
    public float[]? Hidden { get; internal init; }
    /// <summary>The rows of <see cref="Hidden"/> (layers·directions).</summary>
    public int HiddenRows { get; internal init; }
    /// <summary>Every step's output: T rows of directions·hidden, row-major.</summary>
    public float[]? Output { get; internal init; }

    internal static PredictionResult Failed(PredictionRecord record, string reason) => new(record) { Error = reason };
}
