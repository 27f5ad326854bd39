namespace RnnNative.Inference;

/// <summary>
/// How <see cref="BatchPredictor"/> groups and runs records. Records are read ahead <see cref="Window"/> at a time,
/// sorted by length inside the window (unless <see cref="Bucketing"/> is off), cut into batches of at most
/// <see cref="MaxBatchSize"/> sequences and <see cref="MaxBatchTokens"/> padded steps (a single longer sequence runs
/// alone), and run by <see cref="Workers"/> workers over the one model.
/// </summary>
public sealed record BatchPredictorOptions
{
    public int Window { get; init; } = 4096;
    public int MaxBatchSize { get; init; } = 256;
    public int MaxBatchTokens { get; init; } = 32768;
    public int Workers { get; init; } = 1;
    public bool Bucketing { get; init; } = true;
    /// <summary>
    /// When bucketing, no batch of several records has useful ÷ computed time steps under this, so neither has the
    /// whole run (0 = only the size limits and the cost of padding decide).
    /// </summary>
    public double MinBatchPaddingEfficiency { get; init; } = 0.9;
    /// <summary>Longer records are rejected as errors; null = no limit.</summary>
    public int? MaxLength { get; init; }

    public static BatchPredictorOptions Default { get; } = new();

    /// <summary>The one check of these options, with the offending value in the message.</summary>
    public void Validate()
    {
        if (Window < 1) throw new ArgumentOutOfRangeException(nameof(Window), Window, "The window must hold at least one record.");
        if (MaxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "The maximum batch size must be at least 1.");
        if (MaxBatchTokens < 1) throw new ArgumentOutOfRangeException(nameof(MaxBatchTokens), MaxBatchTokens, "The maximum batch tokens must be at least 1.");
        if (Workers < 1) throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "There must be at least one worker.");
        if (!(MinBatchPaddingEfficiency >= 0 && MinBatchPaddingEfficiency <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinBatchPaddingEfficiency), MinBatchPaddingEfficiency, "The minimum batch padding efficiency must be in [0, 1].");
        if (MaxLength is < 1) throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "The maximum length must be at least 1.");
    }
}
