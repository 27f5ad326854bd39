namespace RnnNative.Validation;

/// <summary>The outcome of one case: every tensor's comparison, or the error the backend raised instead of a result.</summary>
public sealed record ValidationCaseResult(ValidationCase Case, IReadOnlyList<TensorComparison> Comparisons, string? Error)
{
    public bool Passed => Error is null && Comparisons.All(c => c.Passed);

    /// <summary>The comparison closest to (or furthest beyond) its bound; null when the backend raised an error.</summary>
    public TensorComparison? Worst => Comparisons.MaxBy(c => c.Ratio);

    /// <summary>Why the case failed, in one line: the error, or every tensor beyond its bound.</summary>
    public string FailureReason => Error ?? string.Join("; ", Comparisons.Where(c => !c.Passed));
}
