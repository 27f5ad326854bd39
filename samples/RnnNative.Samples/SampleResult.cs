namespace RnnNative.Samples;

/// <summary>What a sample learned: named figures (accuracy, loss, ...), what it generated, and any file it wrote.</summary>
public sealed record SampleResult(
    string Name,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<string> Generated,
    string? ImagePath = null);
