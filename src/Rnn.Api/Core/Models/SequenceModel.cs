using System.Numerics.Tensors;
namespace RnnNative.Models;

/// <summary>
/// What every ready model shares: its config, its named parameters (PyTorch state_dict names) and their gradients, and
/// handing changed values back to the backend's executors (after loading weights or an optimizer step).
/// </summary>
public abstract class SequenceModel : IDisposable
{
    protected SequenceModel(ModelConfig config, IRnnBackend backend)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(backend);
        config.Validate();
        Config = config;
        Backend = backend;
    }

    public ModelConfig Config { get; }
    public IRnnBackend Backend { get; }

    /// <summary>All trainable parameters, named as PyTorch's state_dict would name them.</summary>
    public abstract IReadOnlyList<Parameter> Parameters { get; }

    protected abstract IEnumerable<RecurrentLayer> RecurrentLayers { get; }

    public void ZeroGradients()
    {
        foreach (var p in Parameters) p.ZeroGradient();
    }

    /// <summary>Hands the current parameter values to the executors (after an optimizer step or loading weights).</summary>
    public void PushParameters()
    {
        foreach (var rnn in RecurrentLayers) rnn.PushParameters();
    }

    /// <summary>Copies named tensors (a PyTorch state_dict of the same structure) into the parameters; names and shapes must match exactly.</summary>
    public void LoadParameters(IReadOnlyDictionary<string, Tensor<float>> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (var p in Parameters)
        {
            if (!tensors.TryGetValue(p.Name, out var t))
                throw new ArgumentException($"Parameter '{p.Name}' of shape {p.Value.ShapeString} is missing.", nameof(tensors));
            if (!t.HasShape(p.Value.Shape.ToArray()))
                throw new ArgumentException($"Parameter '{p.Name}' has shape {t.ShapeString}; the model expects {p.Value.ShapeString}.", nameof(tensors));
        }
        foreach (var p in Parameters) tensors[p.Name].Span.CopyTo(p.Value.Span);
        PushParameters();
    }

    public void Dispose()
    {
        foreach (var rnn in RecurrentLayers) rnn.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Builds the token input and RNN a config describes, with PyTorch's names and seeded initialisation.</summary>
    protected static TokenSequenceEncoder BuildEncoder(ModelConfig config, IRnnBackend backend, int seed, string prefix = "")
    {
        ITokenInput input = config.EmbeddingSize > 0
            ? new Embedding(config.VocabularySize, config.EmbeddingSize, seed, prefix + "embedding")
            : new OneHotInput(config.VocabularySize);
        var rnn = new RecurrentLayer(config.RnnSpec, backend, unchecked(seed + 1), config.Dropout, prefix + "rnn");
        return new TokenSequenceEncoder(input, rnn);
    }

    /// <summary>y (T, N, W) time-major as a (T·N, W) matrix over the same memory.</summary>
    protected static Tensor<float> Rows(Tensor<float> sequence) => sequence.WithShape(sequence.Dim(0) * sequence.Dim(1), sequence.Dim(2));

    protected static int ArgMax(ReadOnlySpan<float> row) => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row);
}
