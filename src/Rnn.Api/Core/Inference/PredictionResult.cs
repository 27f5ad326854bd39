using System.Runtime.CompilerServices;

namespace RnnNative.Inference;

/// <summary>
/// What the model said about one record (<see cref="Succeeded"/>), or why it could not (<see cref="Error"/>). Which
/// payload is set depends on the model: a classifier sets <see cref="Label"/> and <see cref="Probabilities"/>; a tagger
/// <see cref="Labels"/> and, when asked, <see cref="StepProbabilities"/>; a generator or encoder-decoder
/// <see cref="Tokens"/>; a bare RNN layer <see cref="Hidden"/> and, when asked, <see cref="Output"/>. A failed result
/// has no payload: reading one throws, so a failure can never pass for label 0.
/// </summary>
public sealed class PredictionResult
{
    private readonly int _label, _hiddenRows;
    private readonly float[]? _probabilities, _logits, _stepProbabilities, _hidden, _output;
    private readonly int[]? _labels, _tokens;

    internal PredictionResult(PredictionRecord record) => Record = record;

    public PredictionRecord Record { get; }
    public RecordId? Id => Record.Id;
    /// <summary>Why the record could not be scored; null when it was.</summary>
    public string? Error { get; internal init; }
    public bool IsError => Error is not null;
    /// <summary>Whether the record was scored; only then may the payload be read.</summary>
    public bool Succeeded => Error is null;

    public int Label { get => Payload(_label); internal init => _label = value; }
    /// <summary>Softmax over the classes.</summary>
    public float[]? Probabilities { get => Payload(_probabilities); internal init => _probabilities = value; }
    /// <summary>A classifier's logits (the output layer before the softmax), one per class.</summary>
    public float[]? Logits { get => Payload(_logits); internal init => _logits = value; }
    /// <summary>One class per step.</summary>
    public int[]? Labels { get => Payload(_labels); internal init => _labels = value; }
    /// <summary>Softmax per step: T × classes, row-major.</summary>
    public float[]? StepProbabilities { get => Payload(_stepProbabilities); internal init => _stepProbabilities = value; }
    /// <summary>The generated continuation (without the prompt), or the decoded target sequence.</summary>
    public int[]? Tokens { get => Payload(_tokens); internal init => _tokens = value; }
    /// <summary>Final hidden state: layers·directions rows of hidden size, row-major.</summary>
    public float[]? Hidden { get => Payload(_hidden); internal init => _hidden = value; }
    /// <summary>The rows of <see cref="Hidden"/> (layers·directions).</summary>
    public int HiddenRows { get => Payload(_hiddenRows); internal init => _hiddenRows = value; }
    /// <summary>Every step's output: T rows of directions·hidden, row-major.</summary>
    public float[]? Output { get => Payload(_output); internal init => _output = value; }

    internal static PredictionResult Failed(PredictionRecord record, string reason) => new(record) { Error = reason };

    private T Payload<T>(T value, [CallerMemberName] string name = "") => Error is null ? value
        : throw new InvalidOperationException($"Record {Id?.ToString() ?? "without an id"} was not scored ({Error}); a failed result has no {name}. Check Succeeded first.");
}
