namespace RnnNative.Models;

/// <summary>
/// One-to-many: a next-token model (the tagger's network, trained so that the label of step t is token t+1) that
/// generates by feeding each sampled token back in, carrying its state.
/// </summary>
public sealed class SequenceGenerator : SequenceTagger
{
    public SequenceGenerator(ModelConfig config, IRnnBackend backend, int seed) : base(config, backend, seed, ModelKind.Generator)
    {
        if (Config.OutputSize != Config.VocabularySize)
            throw new ArgumentException($"A generator predicts its own tokens: output size {Config.OutputSize} must equal the vocabulary size {Config.VocabularySize}.", nameof(config));
    }

    /// <summary>
    /// Feeds <paramref name="prefix"/> through the network, then samples up to <paramref name="maxLength"/> tokens, each
    /// fed back in; stops after <paramref name="stopToken"/> (not included in the result).
    /// </summary>
    public int[] Generate(IReadOnlyList<int> prefix, int maxLength, SamplingStrategy sampling, Random random, int? stopToken = null)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(sampling);
        ArgumentNullException.ThrowIfNull(random);
        if (prefix.Count == 0) throw new ArgumentException("Generation needs at least one token to start from.", nameof(prefix));
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        RecurrentState? state = null;
        float[] logits = [];
        foreach (int token in prefix) (logits, state) = Step(token, state);
        var result = new List<int>();
        while (result.Count < maxLength)
        {
            int next = sampling.Sample(logits, random);
            if (next == stopToken) break;
            result.Add(next);
            (logits, state) = Step(next, state);
        }
        return [.. result];
    }

    /// <summary>One step of the network for a single sequence: logits for the token, and the state after it.</summary>
    private (float[] Logits, RecurrentState State) Step(int token, RecurrentState? state)
    {
        var batch = TokenBatch.FromSequences([[token]]);
        var (logits, final) = Logits(batch, state);
        return (logits.Span.ToArray(), final);
    }
}
