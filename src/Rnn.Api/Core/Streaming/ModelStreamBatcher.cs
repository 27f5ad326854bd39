using System.Numerics.Tensors;
using RnnNative.Inference;
using RnnNative.Models;

namespace RnnNative.Streaming;

/// <summary>
/// Streams over a whole loaded model (<see cref="InferenceModelLoader"/>): a bare RNN layer reads feature rows, a
/// tagger or classifier reads token ids through its embedding, and every step's top-layer output goes through the
/// model's output layer: a tagger's label at each step, a classifier's probabilities for the stream so far after
/// each step (for a unidirectional model the last layer's state after step t is its output at t, so this is exactly
/// what the classifier says about the prefix). The recurrent part runs on an <see cref="RnnStreamBatcher"/> over the
/// model's own executor, so every batching and lifecycle rule of that class holds here; the model stays the caller's.
/// </summary>
public sealed class ModelStreamBatcher : IDisposable
{
    private readonly ITokenInput? _input;
    private readonly Linear? _projection;

    public ModelStreamBatcher(InferenceModel model, RnnStreamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        RecurrentNetwork network;
        switch (model)
        {
            case TaggerInference tagger:
                (_input, network, _projection) = tagger.Parts;
                break;
            case ClassifierInference classifier:
                (_input, network, _projection) = classifier.Parts;
                break;
            case LayerInference layer:
                network = layer.Network;
                break;
            default:
                throw new NotSupportedException($"{model.Description}: streams run a bare RNN layer, a tagger or a classifier; a generator or encoder-decoder decides its own next input.");
        }
        Kind = model.Kind;
        Streams = new RnnStreamBatcher(network.Executor, options);
    }

    /// <summary>The batcher underneath: End, Open, ExportState, ImportState, StreamEvicted and the options are its.</summary>
    public RnnStreamBatcher Streams { get; }

    /// <summary>Tagger, classifier, or null for a bare layer.</summary>
    public ModelKind? Kind { get; }

    public RnnSpec Spec => Streams.Spec;

    /// <summary>Whether requests bring token ids (an embedding model) rather than feature rows (a bare layer).</summary>
    public bool ReadsTokens => _input is not null;

    public int Classes => _projection?.OutputSize ?? 0;

    /// <summary>The stream's next k steps, one token id each (taggers and classifiers).</summary>
    public Task<StreamStepResult> StepAsync(string key, int[] tokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (_input is null)
            throw new InvalidOperationException($"this model ({Spec}) reads feature rows of {Spec.InputSize} values, not token ids.");
        if (tokens.Length == 0) throw new ArgumentException("a request needs at least one token.", nameof(tokens));
        if (_input.Check(tokens) is { } problem) throw new ArgumentException(problem, nameof(tokens));
        var x = _input.Embed([tokens], tokens.Length).Span.ToArray();
        return Run(key, x, tokens.Length, cancellationToken);
    }

    /// <summary>The stream's next k steps, k × input_size values (a bare layer).</summary>
    public Task<StreamStepResult> StepAsync(string key, ReadOnlyMemory<float> features, CancellationToken cancellationToken = default)
    {
        if (_input is not null)
            throw new InvalidOperationException($"this model reads token ids (its embedding has {_input.VocabularySize} entries), not feature rows.");
        int width = Spec.InputSize;
        if (features.Length == 0 || features.Length % width != 0)
            throw new ArgumentException($"features hold {features.Length} values; a request is k ≥ 1 rows of input_size {width}.", nameof(features));
        return Run(key, features, features.Length / width, cancellationToken);
    }

    public bool End(string key) => Streams.End(key);

    /// <summary>Stops the batcher; the model is not disposed.</summary>
    public void Dispose() => Streams.Dispose();

    private Task<StreamStepResult> Run(string key, ReadOnlyMemory<float> x, int steps, CancellationToken cancellationToken)
    {
        var output = new float[steps * Spec.OutputSize];
        // Called here rather than inside the async part, so bad arguments throw to the caller at once.
        var step = Streams.StepAsync(key, x, output, cancellationToken);
        return Finish(step, output, steps);
    }

    private async Task<StreamStepResult> Finish(Task<int> step, float[] output, int steps)
    {
        await step.ConfigureAwait(false);
        if (_projection is null) return new StreamStepResult(steps, output, null, null, 0);
        int classes = _projection.OutputSize, width = Spec.OutputSize;
        var labels = new int[steps];
        var probabilities = new float[steps * classes];
        var logits = new float[classes];
        for (int t = 0; t < steps; t++)
        {
            _projection.Apply(output.AsSpan(t * width, width), logits);
            labels[t] = TensorPrimitives.IndexOfMax<float>(logits);
            Activations.Softmax(logits, probabilities.AsSpan(t * classes, classes));
        }
        return new StreamStepResult(steps, output, labels, probabilities, classes);
    }
}
