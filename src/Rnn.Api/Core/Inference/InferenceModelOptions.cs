using RnnNative.Models;

namespace RnnNative.Inference;

/// <summary>
/// How to load and run a model for batch inference. <see cref="Kind"/> and <see cref="Mode"/> are needed only where a
/// plain state_dict cannot tell (classifier, tagger or generator; rnn_tanh or rnn_relu).
/// </summary>
public sealed record InferenceModelOptions
{
    public IRnnBackend? Backend { get; init; }
    public RnnExecutorOptions Executor { get; init; } = RnnExecutorOptions.Default;
    public ModelKind? Kind { get; init; }
    public RnnCellKind? Mode { get; init; }
    /// <summary>The RNN module's name in a state_dict that holds several (<c>encoder.lstm</c> for <c>encoder.lstm.weight_ih_l0</c>, ...).</summary>
    public string? Rnn { get; init; }
    /// <summary>Tagger: also return every step's softmax.</summary>
    public bool StepProbabilities { get; init; }
    /// <summary>Bare RNN layer: also return every step's output.</summary>
    public bool FullOutput { get; init; }
    public GenerationOptions Generation { get; init; } = new();
    /// <summary>Encoder-decoder: the target tokens that start and end a decoded sequence.</summary>
    public int? BeginToken { get; init; }
    public int? EndToken { get; init; }
}
