using RnnNative.Formats;
using RnnNative.Inference;
using RnnNative.Models;
using System.Numerics.Tensors;

namespace RnnNative.Bench.Predict;

/// <summary>
/// The batch-inference workload, defined once for ours, the peer and the files written for `rnn predict`: a classifier
/// (vocabulary 10,000, embedding 128 → 2-layer LSTM 256 → fc over 5 classes, weights from seed 7) and records whose
/// lengths are log-normal with median 40 and σ = 1 (so the mean is about 66 and about 0.6% reach the cap of 500), tokens
/// uniform over [1, vocabulary), from seed 3.
/// </summary>
public static class PredictWorkload
{
    public const int FullRecords = 20_000;
    public const int QuickRecords = 1_000;
    public const int MedianLength = 40;
    public const double Sigma = 1.0;
    public const int MaxLength = 500;
    public const int PeerBatchSize = 64;
    public const int ModelSeed = 7;
    public const int RecordSeed = 3;

    public static ModelConfig Config { get; } = new(ModelKind.Classifier, RnnCellKind.Lstm, VocabularySize: 10_000, EmbeddingSize: 128,
        HiddenSize: 256, OutputSize: 5, NumLayers: 2);

    public static string Description =>
        $"{FullRecords:N0} records (quick: {QuickRecords:N0}), lengths log-normal (median {MedianLength}, σ {Sigma}, capped at {MaxLength}); " +
        $"classifier: vocabulary {Config.VocabularySize:N0}, embedding {Config.EmbeddingSize} → {Config.NumLayers}-layer LSTM {Config.HiddenSize} → fc over {Config.OutputSize} classes";

    /// <summary>The seeded model, as a ready model (for checkpoints); dispose it.</summary>
    public static SequenceClassifier CreateModel() => new(Config, RnnBackends.Managed, ModelSeed);

    /// <summary>The model's state_dict (PyTorch names), copied out of the ready model.</summary>
    public static IReadOnlyList<KeyValuePair<string, Tensor<float>>> StateDict()
    {
        using var model = CreateModel();
        return model.Parameters.Select(p => new KeyValuePair<string, Tensor<float>>(p.Name, p.Value.Clone())).ToList();
    }

    /// <summary>The model as a checkpoint's content (state_dict + configuration metadata), for the engine to load in memory.</summary>
    public static SafetensorsContent CheckpointContent() => new(Config.ToMetadata(), StateDict());

    /// <summary>The token ids of <paramref name="count"/> records, in arrival order.</summary>
    public static IReadOnlyList<int[]> Records(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var rng = new Random(RecordSeed);
        var records = new List<int[]>(count);
        double mu = Math.Log(MedianLength);
        for (int i = 0; i < count; i++)
        {
            // Box–Muller: one standard normal from two uniforms (1 − u keeps the logarithm finite).
            double z = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            int length = (int)Math.Clamp(Math.Round(Math.Exp(mu + Sigma * z)), 1, MaxLength);
            var tokens = new int[length];
            for (int t = 0; t < length; t++) tokens[t] = rng.Next(1, Config.VocabularySize);
            records.Add(tokens);
        }
        return records;
    }

    public static PredictionRecord ToRecord(int index, int[] tokens) => PredictionRecord.FromTokens(RecordId.FromInteger(index), tokens);
}
