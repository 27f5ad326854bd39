using System.Globalization;
using System.Numerics.Tensors;

namespace RnnNative.Validation;

/// <summary>
/// One tensor of a backend against the reference: the largest absolute difference, the bound it must stay within
/// (see <see cref="ValidationTolerance"/>), and a problem when the tensor is missing, misshapen or not finite.
/// </summary>
public sealed record TensorComparison(string Name, double MaxError, double Bound, int WorstIndex, string? Problem)
{
    public bool Passed => Problem is null && MaxError <= Bound;

    /// <summary>The error as a fraction of the bound: below 1 passes. Infinite for a problem.</summary>
    public double Ratio => Problem is null ? MaxError / Bound : double.PositiveInfinity;

    public static TensorComparison Compare(string name, Tensor<float>? actual, Tensor<float> expected, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (actual is null) return Missing(name);
        if (!actual.Shape.SequenceEqual(expected.Shape))
            return new(name, double.PositiveInfinity, double.NaN, -1, $"shape {actual.ShapeString}, expected {expected.ShapeString}");

        var a = actual.Span;
        var b = expected.Span;
        double maxError = 0, maxAbs = 0;
        int worst = 0;
        for (int i = 0; i < b.Length; i++)
        {
            double diff = Math.Abs((double)a[i] - b[i]);
            // A NaN difference must fail, and comparisons with NaN are false, so it is tested for explicitly.
            if (!double.IsFinite(diff))
                return new(name, double.PositiveInfinity, double.NaN, i, string.Create(CultureInfo.InvariantCulture, $"non-finite value {a[i]} (reference {b[i]}) at element {i}"));
            if (diff > maxError) { maxError = diff; worst = i; }
            maxAbs = Math.Max(maxAbs, Math.Abs((double)b[i]));
        }
        return new(name, maxError, ValidationTolerance.Bound(tolerance, maxAbs), worst, null);
    }

    public static TensorComparison Missing(string name) => new(name, double.PositiveInfinity, double.NaN, -1, "missing");

    public override string ToString() => Problem is not null
        ? $"{Name}: {Problem}"
        : string.Create(CultureInfo.InvariantCulture, $"{Name}: max|a-b| = {MaxError:0.00e+0} {(Passed ? "<=" : ">")} bound {Bound:0.00e+0} (worst at element {WorstIndex})");
}
