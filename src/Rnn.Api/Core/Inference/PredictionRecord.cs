namespace RnnNative.Inference;

/// <summary>
/// One input record: an id and either token ids (models with an embedding or one-hot input) or features (T steps of
/// the layer's input width, row-major, for a bare RNN layer). A record a reader could not make sense of (malformed
/// JSON, no id) is still a record: <see cref="Rejection"/> says why, and it comes back as an error in its place.
/// </summary>
public sealed class PredictionRecord
{
    private PredictionRecord(RecordId? id, int[]? tokens, float[]? features, int steps, string? rejection, long? line)
    {
        Id = id;
        Tokens = tokens;
        Features = features;
        FeatureSteps = steps;
        Rejection = rejection;
        Line = line;
    }

    public RecordId? Id { get; }
    public int[]? Tokens { get; }
    /// <summary>T × width values, row-major (step by step).</summary>
    public float[]? Features { get; }
    public int FeatureSteps { get; }
    public string? Rejection { get; }
    /// <summary>Where the record came from (line number in its input file), for error reports; null when unknown.</summary>
    public long? Line { get; }

    /// <summary>
    /// The record's known class, when its input carries one (a <c>label</c> field): predictions are then scored against
    /// it. It never changes the prediction.
    /// </summary>
    public int? ExpectedLabel { get; private init; }

    /// <summary>Time steps: tokens, or feature rows.</summary>
    public int Length => Tokens?.Length ?? FeatureSteps;

    public static PredictionRecord FromTokens(RecordId id, int[] tokens, long? line = null, int? expectedLabel = null) =>
        new(id, tokens ?? throw new ArgumentNullException(nameof(tokens)), null, 0, null, line) { ExpectedLabel = expectedLabel };

    /// <summary><paramref name="features"/> holds <paramref name="steps"/> rows of equal width, row-major.</summary>
    public static PredictionRecord FromFeatures(RecordId id, float[] features, int steps, long? line = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (steps == 0 ? features.Length != 0 : features.Length % steps != 0)
            throw new ArgumentException($"{features.Length} feature values do not split into {steps} equal rows.", nameof(features));
        return new(id, null, features, steps, null, line);
    }

    /// <summary>A record that could not be read; it becomes an error result with this reason.</summary>
    public static PredictionRecord Rejected(string reason, RecordId? id = null, long? line = null) =>
        new(id, null, null, 0, reason ?? throw new ArgumentNullException(nameof(reason)), line);
}
