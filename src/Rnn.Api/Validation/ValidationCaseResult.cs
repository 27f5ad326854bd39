namespace RnnNative.Validation;

/// <summary>
/// The outcome of one case: every tensor's comparison, or the error the backend raised instead of a result, or its
/// <see cref="Refusal"/>: a <see cref="NotSupportedException"/> or <see cref="RnnBackendUnsupportedException"/> that
/// states a limitation of the backend (such as oneDNN's bf16 LSTM projections), which is neither a pass nor a wrong result.
/// </summary>
public sealed record ValidationCaseResult(ValidationCase Case, IReadOnlyList<TensorComparison> Comparisons, string? Error, string? Refusal = null)
{
    public bool Passed => Error is null && Refusal is null && Comparisons.All(c => c.Passed);

    public bool Refused => Refusal is not null;

    /// <summary>The comparison closest to (or furthest beyond) its bound; null when the backend raised an error.</summary>
    public TensorComparison? Worst => Comparisons.MaxBy(c => c.Ratio);

    /// <summary>Why the case failed, in one line: the error, or every tensor beyond its bound.</summary>
    public string FailureReason => Error ?? Refusal ?? string.Join("; ", Comparisons.Where(c => !c.Passed));
}
