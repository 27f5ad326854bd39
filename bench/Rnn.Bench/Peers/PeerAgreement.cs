using RnnNative.Validation;

namespace RnnNative.Bench.Peers;

/// <summary>
/// The gate before any timing: an output agrees with the reference's when max |a − ref| ≤ tolerance · max(1, max |ref|),
/// the validation suite's rule (<see cref="ValidationTolerance"/>); otherwise the benchmark must not run.
/// </summary>
public static class PeerAgreement
{
    /// <summary>The largest difference, the bound, and whether it holds.</summary>
    public static (double MaxDiff, double Bound, bool Agrees) Compare(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual, double tolerance)
    {
        if (reference.Length != actual.Length)
            return (double.PositiveInfinity, 0, false);
        double maxRef = 0, maxDiff = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            maxRef = Math.Max(maxRef, Math.Abs(reference[i]));
            double d = Math.Abs((double)actual[i] - reference[i]);
            // NaN compares false everywhere, so it must be caught explicitly.
            maxDiff = double.IsNaN(d) ? double.PositiveInfinity : Math.Max(maxDiff, d);
        }
        double bound = ValidationTolerance.Bound(tolerance, maxRef);
        return (maxDiff, bound, maxDiff <= bound);
    }

    /// <summary>Throws <see cref="PeerMismatchException"/>, naming who and by how much, unless <paramref name="actual"/> agrees.</summary>
    public static void Require(string who, string configuration, ReadOnlySpan<float> reference, ReadOnlySpan<float> actual, double tolerance)
    {
        if (reference.Length != actual.Length)
            throw new PeerMismatchException($"{who} on {configuration}: {actual.Length} output values, the reference has {reference.Length}.");
        var (maxDiff, bound, agrees) = Compare(reference, actual, tolerance);
        if (!agrees)
            throw new PeerMismatchException(
                $"{who} on {configuration} does not compute the reference's function: max|a-ref| = {maxDiff:0.###e+0} > bound {bound:0.###e+0} " +
                $"({ValidationTolerance.Describe(tolerance)}). Not benchmarking a different function.");
    }
}
