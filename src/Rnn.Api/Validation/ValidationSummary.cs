namespace RnnNative.Validation;

/// <summary>How many validation cases passed and failed.</summary>
public sealed record ValidationSummary(int Passed, int Failed)
{
    public bool AllPassed => Failed == 0;

    /// <summary>The closing line of a report: "N passed, N failed".</summary>
    public override string ToString() => $"{Passed} passed, {Failed} failed";
}
