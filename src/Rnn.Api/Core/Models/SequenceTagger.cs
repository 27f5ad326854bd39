using System.Numerics.Tensors;
namespace RnnNative.Models;

/// <summary>
/// Many-to-many, synced: tokens → RNN → <c>fc</c> at every step → a label per token (padded steps are masked out of
/// the loss). Parameters: <c>embedding.weight</c>, <c>rnn.*</c>, <c>fc.weight</c>, <c>fc.bias</c>.
/// <see cref="SequenceGenerator"/> is the same network trained on the next token.
/// </summary>
public class SequenceTagger : SequenceModel
{
    private readonly TokenSequenceEncoder _encoder;
    private readonly Linear _fc;
    private readonly List<Parameter> _parameters;

    public SequenceTagger(ModelConfig config, IRnnBackend backend, int seed) : this(config, backend, seed, ModelKind.Tagger)
    {
    }

    private protected SequenceTagger(ModelConfig config, IRnnBackend backend, int seed, ModelKind kind) : base(config with { Kind = kind }, backend)
    {
        _encoder = BuildEncoder(Config, backend, seed);
        _fc = new Linear(Config.RnnSpec.OutputSize, Config.OutputSize, unchecked(seed + 2));
        _parameters = [.. _encoder.Parameters, .. _fc.Parameters];
    }

    public override IReadOnlyList<Parameter> Parameters => _parameters;
    protected override IEnumerable<RecurrentLayer> RecurrentLayers => [_encoder.Rnn];

    /// <summary>Logits (T·N, classes), time-major rows, and the final state.</summary>
    public (Tensor<float> Logits, RecurrentState Final) Logits(TokenBatch batch, RecurrentState? initial = null)
    {
        using var pass = _encoder.Forward(batch, initial, training: false);
        return (_fc.Forward(Rows(pass.Output)), pass.Final);
    }

    /// <summary>The label of every token of every sequence.</summary>
    public int[][] Predict(TokenBatch batch)
    {
        var (logits, _) = Logits(batch);
        int classes = Config.OutputSize;
        return Enumerable.Range(0, batch.Batch)
            .Select(n => Enumerable.Range(0, batch.Lengths[n]).Select(t => ArgMax(logits.Span.Slice((t * batch.Batch + n) * classes, classes))).ToArray())
            .ToArray();
    }

    /// <summary>
    /// Forward in training mode, then backward from the gradient <paramref name="logitsGradient"/> returns for the
    /// logits (T·N, classes, time-major rows); accumulates the parameter gradients and returns the final state.
    /// </summary>
    public RecurrentState Backpropagate(TokenBatch batch, RecurrentState? initial, Func<Tensor<float>, Tensor<float>> logitsGradient)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(logitsGradient);
        using var pass = _encoder.Forward(batch, initial, training: true);
        var features = Rows(pass.Output);
        var dFeatures = _fc.Backward(features, logitsGradient(_fc.Forward(features)));
        // The initial state's gradient is dropped: a carried state is a constant (truncated BPTT).
        _encoder.Backward(batch, pass, dFeatures.WithShape(pass.Output.Shape), null, null);
        return pass.Final;
    }
}
