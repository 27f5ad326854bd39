namespace RnnNative.Bench.Limits;

/// <summary>A measured GEMM ceiling: operations per second at one shape, or why there is none (<see cref="Unavailable"/>).</summary>
public sealed record GemmRate(GemmPrecision Precision, GemmShape Shape, double OperationsPerSecond, string? Unavailable = null)
{
    public bool IsAvailable => Unavailable is null;

    public static GemmRate NotAvailable(GemmPrecision precision, GemmShape shape, string why) => new(precision, shape, double.NaN, why);
}

/// <summary>
/// The ceiling of one configuration's forward pass in one precision: its gate GEMMs' operations over the time oneDNN's
/// own GEMM takes for exactly those GEMMs at their measured rates (the whole pass if it were nothing but GEMM).
/// </summary>
public sealed record ConfigurationLimit(string Configuration, GemmPrecision Precision, IReadOnlyList<GemmRate> Rates, double OperationsPerSecond, string? Unavailable = null)
{
    public bool IsAvailable => Unavailable is null;

    public static ConfigurationLimit Combine(string configuration, GemmPrecision precision, IReadOnlyList<GemmRate> rates)
    {
        if (rates.FirstOrDefault(r => !r.IsAvailable) is { } missing)
            return new(configuration, precision, rates, double.NaN, missing.Unavailable);
        double operations = rates.Sum(r => r.Shape.Operations * r.Shape.Count);
        double seconds = rates.Sum(r => r.Shape.Operations * r.Shape.Count / r.OperationsPerSecond);
        return new(configuration, precision, rates, operations / seconds);
    }
}
