using System.Globalization;

namespace RnnNative.Models;

/// <summary>
/// Everything needed to rebuild a ready model: its pattern, the token input (a learned embedding of
/// <see cref="EmbeddingSize"/>, or one-hot when 0), the RNN and the output classes (or target vocabulary).
/// Written into checkpoints as metadata.
/// </summary>
public sealed record ModelConfig(
    ModelKind Kind,
    RnnCellKind Cell,
    int VocabularySize,
    int EmbeddingSize,
    int HiddenSize,
    int OutputSize,
    int NumLayers = 1,
    bool Bidirectional = false,
    double Dropout = 0)
{
    public void Validate()
    {
        if (VocabularySize < 1) throw new ArgumentOutOfRangeException(nameof(VocabularySize), VocabularySize, "The vocabulary needs at least one token.");
        if (EmbeddingSize < 0) throw new ArgumentOutOfRangeException(nameof(EmbeddingSize), EmbeddingSize, "Embedding size must be ≥ 0 (0 = one-hot input).");
        if (HiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(HiddenSize), HiddenSize, "Hidden size must be at least 1.");
        if (OutputSize < 1) throw new ArgumentOutOfRangeException(nameof(OutputSize), OutputSize, "There must be at least one output class.");
        if (NumLayers < 1) throw new ArgumentOutOfRangeException(nameof(NumLayers), NumLayers, "Number of layers must be at least 1.");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        if (Bidirectional && Kind is ModelKind.Generator or ModelKind.EncoderDecoder)
            throw new ArgumentException($"A {Kind} runs forward in time and cannot be bidirectional.", nameof(Bidirectional));
    }

    public int InputWidth => EmbeddingSize > 0 ? EmbeddingSize : VocabularySize;

    public RnnSpec RnnSpec => new(Cell, InputWidth, HiddenSize, NumLayers, Bidirectional);

    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string>
    {
        ["model.kind"] = Kind.ToString(),
        ["model.mode"] = Cell.ToModeName(),
        ["model.vocab_size"] = Str(VocabularySize),
        ["model.embedding_size"] = Str(EmbeddingSize),
        ["model.hidden_size"] = Str(HiddenSize),
        ["model.output_size"] = Str(OutputSize),
        ["model.num_layers"] = Str(NumLayers),
        ["model.bidirectional"] = Bidirectional ? "true" : "false",
        ["model.dropout"] = Dropout.ToString("R", CultureInfo.InvariantCulture),
    };

    public static ModelConfig FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        string Get(string key) => metadata.TryGetValue(key, out var v)
            ? v
            : throw new ArgumentException($"The checkpoint metadata has no '{key}'; it was not written by a ready model.", nameof(metadata));
        int Int(string key) => int.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new ArgumentException($"Checkpoint metadata '{key}' = '{Get(key)}' is not an integer.", nameof(metadata));
        if (!Enum.TryParse<ModelKind>(Get("model.kind"), ignoreCase: true, out var kind))
            throw new ArgumentException($"Checkpoint metadata 'model.kind' = '{Get("model.kind")}' is not one of {string.Join(", ", Enum.GetNames<ModelKind>())}.", nameof(metadata));
        if (!double.TryParse(metadata.GetValueOrDefault("model.dropout", "0"), NumberStyles.Float, CultureInfo.InvariantCulture, out double dropout))
            throw new ArgumentException($"Checkpoint metadata 'model.dropout' = '{metadata["model.dropout"]}' is not a number.", nameof(metadata));
        var config = new ModelConfig(kind, RnnCellKindExtensions.ParseMode(Get("model.mode")), Int("model.vocab_size"),
            Int("model.embedding_size"), Int("model.hidden_size"), Int("model.output_size"),
            metadata.ContainsKey("model.num_layers") ? Int("model.num_layers") : 1,
            metadata.GetValueOrDefault("model.bidirectional", "false").Equals("true", StringComparison.OrdinalIgnoreCase),
            dropout);
        config.Validate();
        return config;
    }

    private static string Str(int v) => v.ToString(CultureInfo.InvariantCulture);
}
