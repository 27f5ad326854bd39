using System.Numerics.Tensors;
namespace RnnNative.Models;

/// <summary>
/// Encoder-decoder (sequence to sequence): the encoder reads the source; its final state (h, and c for an LSTM) is the
/// decoder's initial state; the decoder is a next-token model over the target vocabulary (<see cref="ModelConfig.OutputSize"/>).
/// Training uses teacher forcing: the decoder reads [BOS] + target and learns target + [EOS]. Decoding feeds back its own
/// arg-max. Parameters: <c>encoder.embedding.weight</c>, <c>encoder.rnn.*</c>, <c>decoder.embedding.weight</c>,
/// <c>decoder.rnn.*</c>, <c>decoder.fc.weight</c>, <c>decoder.fc.bias</c>.
/// </summary>
public sealed class EncoderDecoder : SequenceModel
{
    private readonly TokenSequenceEncoder _encoder;
    private readonly TokenSequenceEncoder _decoder;
    private readonly Linear _fc;
    private readonly List<Parameter> _parameters;

    public EncoderDecoder(ModelConfig config, IRnnBackend backend, int seed, int beginToken, int endToken)
        : base(config with { Kind = ModelKind.EncoderDecoder }, backend)
    {
        if ((uint)beginToken >= (uint)Config.OutputSize || (uint)endToken >= (uint)Config.OutputSize)
            throw new ArgumentException($"The begin ({beginToken}) and end ({endToken}) tokens must be target tokens in [0, {Config.OutputSize}).", nameof(beginToken));
        BeginToken = beginToken;
        EndToken = endToken;
        _encoder = BuildEncoder(Config, backend, seed, "encoder.");
        _decoder = BuildEncoder(Config with { VocabularySize = Config.OutputSize }, backend, unchecked(seed + 10), "decoder.");
        _fc = new Linear(Config.HiddenSize, Config.OutputSize, unchecked(seed + 12), "decoder.fc");
        _parameters = [.. _encoder.Parameters, .. _decoder.Parameters, .. _fc.Parameters];
    }

    public int BeginToken { get; }
    public int EndToken { get; }
    public override IReadOnlyList<Parameter> Parameters => _parameters;
    protected override IEnumerable<RecurrentLayer> RecurrentLayers => [_encoder.Rnn, _decoder.Rnn];

    /// <summary>
    /// Teacher-forced forward and backward for a batch of (source, target) pairs; accumulates gradients.
    /// <paramref name="logitsGradient"/> receives the decoder's logits (T·N, classes, time-major rows), the targets it
    /// should predict (target + [EOS], time-major) and the mask of real steps, and returns the logits' gradient.
    /// </summary>
    public void Backpropagate(IReadOnlyList<IReadOnlyList<int>> sources, IReadOnlyList<IReadOnlyList<int>> targets,
        Func<Tensor<float>, int[], bool[], Tensor<float>> logitsGradient)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(logitsGradient);
        if (sources.Count != targets.Count)
            throw new ArgumentException($"There are {sources.Count} sources but {targets.Count} targets.", nameof(targets));
        var source = TokenBatch.FromSequences(sources);
        var decoderIn = TokenBatch.FromSequences(targets.Select(t => (IReadOnlyList<int>)[BeginToken, .. t]).ToList());
        var decoderOut = decoderIn.AlignTimeMajor(targets.Select(t => (IReadOnlyList<int>)[.. t, EndToken]).ToList(), nameof(targets));

        using var encoded = _encoder.Forward(source, null, training: true);
        using var decoded = _decoder.Forward(decoderIn, encoded.Final, training: true);
        var features = Rows(decoded.Output);
        var dFeatures = _fc.Backward(features, logitsGradient(_fc.Forward(features), decoderOut, decoderIn.StepMask()));
        var dInitial = _decoder.Backward(decoderIn, decoded, dFeatures.WithShape(decoded.Output.Shape), null, null);
        _encoder.Backward(source, encoded, null, dInitial.Hidden, dInitial.Cell);
    }

    /// <summary>Greedy decoding: encode, then feed back the decoder's arg-max until the end token or <paramref name="maxLength"/> tokens.</summary>
    public int[] Translate(IReadOnlyList<int> source, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        RecurrentState state;
        using (var encoded = _encoder.Forward(TokenBatch.FromSequences([source]), null, training: false)) state = encoded.Final;
        var result = new List<int>();
        int token = BeginToken;
        while (result.Count < maxLength)
        {
            using var step = _decoder.Forward(TokenBatch.FromSequences([[token]]), state, training: false);
            state = step.Final;
            token = ArgMax(_fc.Forward(Rows(step.Output)).Span);
            if (token == EndToken) break;
            result.Add(token);
        }
        return [.. result];
    }
}
