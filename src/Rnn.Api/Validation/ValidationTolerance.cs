namespace RnnNative.Validation;

/// <summary>
/// The accepted difference between a backend and the reference, per precision, in one place. A tensor passes when
/// max |actual − reference| ≤ tolerance · max(1, max |reference|): relative to the tensor's own scale, absolute for
/// tensors whose values are all below 1 (so that a near-zero reference cannot demand an impossible relative match).
/// These bounds are never loosened to make a case pass: a case beyond them is a bug to find.
/// </summary>
public static class ValidationTolerance
{
    /// <summary>
    /// f32 arithmetic with f32 accumulation (u = 2^-24) in a different order than the reference's double accumulation:
    /// dot products of a few thousand terms and 50 recurrent steps stay orders of magnitude below 1e-4.
    /// </summary>
    public const double F32 = 1e-4;

    /// <summary>
    /// bf16 keeps 8 significant bits (unit roundoff u = 2^-9). A backend rounds weights and each layer's input to bf16
    /// and accumulates in f32, so every product carries at most 2u = 2^-8 relative error. The terms of a gate's dot
    /// product are independent with weights of size 1/√H, so their errors partly cancel and the pre-activation's error
    /// stays of order 2^-8 of the tensor's scale rather than K times it. The recurrence carries that error through up to
    /// 50 steps and 3 layers, and backward through the same path; the gates' derivatives (σ' ≤ 1/4, tanh' ≤ 1) keep it
    /// from growing geometrically. We allow a factor 8 for that accumulation: 2^-8 · 8 = 2^-5 ≈ 0.031.
    /// This is a stated engineering bound, not a worst-case proof; a case beyond it is reported as a failure.
    /// </summary>
    public const double Bf16 = 1.0 / 32;

    /// <summary>
    /// f16 keeps 11 significant bits (u = 2^-11), so products carry 2^-10; with the same allowance of 8 for
    /// accumulation through time, layers and the backward pass: 2^-10 · 8 = 2^-7 ≈ 0.0078. The grid's values stay far
    /// below f16's range limit (65504), so overflow is not a concern of this bound.
    /// </summary>
    public const double F16 = 1.0 / 128;

    /// <summary>
    /// The managed reference against PyTorch's float64 results: the reference accumulates in double and only rounds its
    /// results to f32 (relative 2^-24), so 1e-5 leaves room for nothing but a real difference in semantics.
    /// </summary>
    public const double ReferenceAgainstPyTorch = 1e-5;

    public static double For(RnnPrecision precision) => precision switch
    {
        RnnPrecision.F32 => F32,
        RnnPrecision.Bf16 => Bf16,
        RnnPrecision.F16 => F16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };

    /// <summary>The largest accepted max |actual − reference| for a reference tensor whose largest magnitude is <paramref name="referenceMaxAbs"/>.</summary>
    public static double Bound(double tolerance, double referenceMaxAbs) => tolerance * Math.Max(1.0, referenceMaxAbs);

    /// <summary>How the rule reads in reports.</summary>
    public static string Describe(double tolerance) => $"max|a-b| <= {tolerance:0.###e+0} * max(1, max|ref|)";
}
