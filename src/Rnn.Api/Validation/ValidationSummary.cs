namespace RnnNative.Validation;

/// <summary>How many validation cases passed and failed, and how many the backend refused as unsupported (reported, not passed).</summary>
public sealed record ValidationSummary(int Passed, int Failed, int Refused = 0)
{
    public bool AllPassed => Failed == 0;

    /// <summary>The closing line of a report: "N passed, N failed" (and ", N refused" when some were).</summary>
    public override string ToString() => $"{Passed} passed, {Failed} failed{(Refused > 0 ? $", {Refused} refused" : "")}";
}
