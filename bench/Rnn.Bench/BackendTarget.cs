namespace RnnNative.Bench;

/// <summary>A backend and precision to measure.</summary>
public sealed record BackendTarget(string Backend, RnnPrecision Precision)
{
    public override string ToString() => $"{Backend}-{Precision.ToString().ToLowerInvariant()}";
}
