using System.Numerics.Tensors;
namespace RnnNative.Models;

/// <summary>
/// Many-to-one: tokens → RNN → the last layer's final state of each sequence (at its own length; both directions'
/// concatenated when bidirectional, as <c>torch.cat((h[-2], h[-1]), 1)</c>) → <c>fc</c> → class logits.
/// Parameters: <c>embedding.weight</c>, <c>rnn.*</c>, <c>fc.weight</c>, <c>fc.bias</c>.
/// </summary>
public sealed class SequenceClassifier : SequenceModel
{
    private readonly TokenSequenceEncoder _encoder;
    private readonly Linear _fc;
    private readonly List<Parameter> _parameters;

    public SequenceClassifier(ModelConfig config, IRnnBackend backend, int seed) : base(config with { Kind = ModelKind.Classifier }, backend)
    {
        _encoder = BuildEncoder(Config, backend, seed);
        _fc = new Linear(Config.RnnSpec.OutputSize, Config.OutputSize, unchecked(seed + 2));
        _parameters = [.. _encoder.Parameters, .. _fc.Parameters];
    }

    public override IReadOnlyList<Parameter> Parameters => _parameters;
    protected override IEnumerable<RecurrentLayer> RecurrentLayers => [_encoder.Rnn];

    /// <summary>Class logits (N, classes).</summary>
    public Tensor<float> Logits(TokenBatch batch)
    {
        using var pass = _encoder.Forward(batch, null, training: false);
        return _fc.Forward(Features(pass.Final.Hidden));
    }

    public int[] Predict(TokenBatch batch)
    {
        var logits = Logits(batch);
        int classes = Config.OutputSize;
        return Enumerable.Range(0, batch.Batch).Select(n => ArgMax(logits.Span.Slice(n * classes, classes))).ToArray();
    }

    /// <summary>
    /// Forward in training mode, then backward from the gradient <paramref name="logitsGradient"/> returns for the
    /// logits (N, classes); accumulates the parameter gradients (no update). The loss itself is the caller's.
    /// </summary>
    public void Backpropagate(TokenBatch batch, Func<Tensor<float>, Tensor<float>> logitsGradient)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(logitsGradient);
        using var pass = _encoder.Forward(batch, null, training: true);
        var features = Features(pass.Final.Hidden);
        var dFeatures = _fc.Backward(features, logitsGradient(_fc.Forward(features)));
        _encoder.Backward(batch, pass, null, HiddenGradient(dFeatures, pass.Final.Hidden), null);
    }

    /// <summary>(N, D·H): the last layer's h_n rows, directions side by side.</summary>
    private Tensor<float> Features(Tensor<float> hidden)
    {
        var spec = Config.RnnSpec;
        int batch = hidden.Dim(1), width = spec.OutputSize;
        var features = RnnTensors.Zeros(batch, width);
        for (int n = 0; n < batch; n++) LastLayerState.Gather(spec, hidden.Span, batch, n, features.Span.Slice(n * width, width));
        return features;
    }

    /// <summary>dL/dh_n: the features' gradient in the last layer's rows, zeros in the others.</summary>
    private Tensor<float> HiddenGradient(Tensor<float> dFeatures, Tensor<float> hiddenLike)
    {
        var spec = Config.RnnSpec;
        int batch = hiddenLike.Dim(1), width = spec.OutputSize;
        var dh = RnnTensors.Zeros(hiddenLike.Shape.ToArray());
        for (int n = 0; n < batch; n++) LastLayerState.Scatter(spec, dFeatures.Span.Slice(n * width, width), batch, n, dh.Span);
        return dh;
    }
}
