namespace RnnNative.Training;

/// <summary>
/// One-to-many: a next-token model (the tagger's network, trained so that the label of step t is token t+1) that
/// generates by feeding each sampled token back in, carrying its state. Also trains on one long stream with truncated
/// backpropagation through time (<see cref="TrainStream"/>).
/// </summary>
public sealed class SequenceGenerator : SequenceTagger
{
    public SequenceGenerator(ModelConfig config, IRnnBackend backend, int seed) : base(config, backend, seed, ModelKind.Generator)
    {
        if (Config.OutputSize != Config.VocabularySize)
            throw new ArgumentException($"A generator predicts its own tokens: output size {Config.OutputSize} must equal the vocabulary size {Config.VocabularySize}.", nameof(config));
    }

    /// <summary>Trains on sequences to predict each next token: input s[0..n−2], target s[1..n−1].</summary>
    public double TrainStep(IReadOnlyList<IReadOnlyList<int>> sequences, Optimizer optimizer, TrainingSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        for (int n = 0; n < sequences.Count; n++)
            if (sequences[n] is null || sequences[n].Count < 2)
                throw new ArgumentException($"Sequence {n} needs at least two tokens (an input and the next one to predict).", nameof(sequences));
        var inputs = sequences.Select(s => (IReadOnlyList<int>)s.Take(s.Count - 1).ToArray()).ToList();
        var targets = sequences.Select(s => (IReadOnlyList<int>)s.Skip(1).ToArray()).ToList();
        return TrainStep(TokenBatch.FromSequences(inputs), targets, optimizer, settings);
    }

    /// <summary>
    /// Truncated BPTT over a long stream: the stream is cut into <paramref name="batchSize"/> parallel rows, each walked
    /// in chunks of <paramref name="chunkLength"/> steps with one update per chunk. Each chunk starts from the previous
    /// chunk's final state, carried forward but not backpropagated through. Returns the mean loss over the chunks.
    /// </summary>
    public double TrainStream(IReadOnlyList<int> stream, int batchSize, int chunkLength, Optimizer optimizer, TrainingSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(optimizer);
        RecurrentState? state = null;
        double total = 0;
        int chunks = 0;
        foreach (var chunk in TruncatedBptt.Chunks(stream, batchSize, chunkLength))
        {
            ZeroGradients();
            var (loss, final) = ComputeGradients(chunk.Inputs, chunk.Targets, state);
            ApplyGradients(optimizer, settings);
            state = final;
            total += loss;
            chunks++;
        }
        return total / chunks;
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
        return (logits.Data, final);
    }
}
