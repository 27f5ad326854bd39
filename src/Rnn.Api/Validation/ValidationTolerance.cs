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
    /// bf16 keeps 8 significant bits (unit roundoff u = 2^-9). A backend rounds the weights and every GEMM input (x, each
    /// step's h, each layer's input) to bf16 and accumulates in f32, so every product carries at most 2u = 2^-8 relative
    /// error. The terms of a gate's dot product are independent with weights of size 1/√H, so their errors partly cancel
    /// and the pre-activation's error stays of order 2^-8 of the tensor's scale rather than K times it. The recurrence
    /// carries that error through up to 50 steps and 3 layers, and backward through the same path again (weight gradients
    /// sum N·T such terms); the gates' derivatives (σ' ≤ 1/4, tanh' ≤ 1) keep it from growing geometrically. We allow a
    /// factor 16 for that accumulation: 2^-8 · 16 = 2^-4 = 0.0625.
    /// Measured: a backend that rounds only its weights and inputs to bf16 (about half the roundings a real one makes)
    /// reached 0.40 of this bound over the full grid (GRU weight gradients), 0.35 in forward outputs.
    /// This is a stated engineering bound, not a worst-case proof; a case beyond it is reported as a failure.
    /// </summary>
    public const double Bf16 = 1.0 / 16;

    /// <summary>
    /// f16 keeps 11 significant bits (u = 2^-11), so products carry 2^-10; with the same allowance of 16 for accumulation
    /// through time, layers and the backward pass: 2^-10 · 16 = 2^-6 ≈ 0.0156. The grid's values stay far below f16's
    /// range limit (65504), so overflow is not a concern of this bound.
    /// </summary>
    public const double F16 = 1.0 / 64;

    /// <summary>
    /// The managed reference against PyTorch's float64 results: the reference accumulates in double and only rounds its
    /// results to f32 (relative 2^-24), so 1e-5 leaves room for nothing but a real difference in semantics.
    /// </summary>
    public const double ReferenceAgainstPyTorch = 1e-5;

    /// <summary>
    /// The tolerance for gradients. The same as <see cref="For"/>, except for ReLU cells at reduced precision, where it
    /// is infinite: only presence, shape and finiteness are checked. ReLU's derivative jumps from 0 to 1 at 0, so a
    /// pre-activation within bf16 or f16 rounding of 0 legitimately lands on the other side and changes that step's
    /// gradient by O(1); a backend whose only error was rounding its weights and inputs to bf16 missed the elementwise
    /// bound by up to 16× on such cases, while its forward outputs stayed within it. In f32 the band is about 1e-7 wide
    /// and one-ulp perturbations of every input stayed below 1% of the f32 bound, so f32 checks ReLU gradients fully.
    /// </summary>
    public static double ForGradients(RnnCellKind cell, RnnPrecision precision) =>
        cell == RnnCellKind.RnnRelu && precision != RnnPrecision.F32 ? double.PositiveInfinity : For(precision);

    /// <summary>
    /// int8 LSTM inference (u8 activations, s8 weights), per case and absolute, from the quantization steps and sizes.
    /// For layer l (input size K, hidden H) with activation step Δx = 1/scale and largest representable magnitude X, and
    /// for each gate row c with largest weight W_c and weight step Δw_c = W_c/127: every product of a pre-activation
    /// carries |w̃x̃ − wx| ≤ W_c·Δx/2 + X·Δw_c/2 (plus a negligible Δw·Δx/4). The roundings are independent and uniform,
    /// so their sum over the K+H terms has standard deviation σ_c = √((K+H)/12 · (W_c²Δx² + X²Δw_c²)); we take
    /// ε = 4·max over layers, directions and rows of σ_c as the pre-activation error (a worst-case sum, (K+H) instead of
    /// √(K+H), is vacuous beyond a few hundred inputs: it exceeds h's whole range [-1, 1]).
    /// Through the cell, σ' ≤ 1/4 and tanh' ≤ 1 make one step's error in c at most (1/4·|c| + 1/4 + 1)·ε and in h at
    /// most 1/4·ε more: a gain of about 2 for |c| ≤ 1. The recurrence and the layers carry that on, damped by f &lt; 1 and
    /// o &lt; 1 and with random signs; we allow <see cref="Int8Accumulation"/> = 2 for the whole path, the one-step gain.
    /// The result: tolerance = 2 · ε = 8 · max σ_c, applied as <see cref="Bound"/> (relative above magnitude 1, for c).
    /// Measured on the full and quick grids (104 LSTM inference cases, up to 3 layers, 50 steps, hidden 512): the worst
    /// case reached 0.31 of it (c_n). A shim that quantized its inputs 6 codes off the calibrated shift (an inconsistent
    /// shift, as a wrong rounding or offset bug would give) exceeded it in 2 of 4 int8 test cases.
    /// This is a stated engineering bound from the rounding model, not a worst-case proof; a case beyond it is a failure.
    /// It depends on the calibration only through Δx and X, so a wrong scale or shift (saturating values) fails it.
    /// </summary>
    public static double Int8(RnnParameters parameters, Int8Quantization quantization)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(quantization);
        var spec = parameters.Spec;
        quantization.EnsureFits(spec, nameof(quantization));
        double worst = 0;
        for (int layer = 0; layer < spec.NumLayers; layer++)
        {
            var q = quantization.Layers[layer];
            double dx = q.Step, x = q.MaxAbs;
            int k = spec.LayerInputSize(layer), h = spec.HiddenStateSize;
            for (int dir = 0; dir < spec.Directions; dir++)
            {
                var wih = parameters.Get(RnnParameterKind.WeightIh, layer, dir).Span;
                var whh = parameters.Get(RnnParameterKind.WeightHh, layer, dir).Span;
                for (int row = 0; row < spec.GateCount * spec.HiddenSize; row++)
                {
                    double w = 0;
                    for (int i = 0; i < k; i++) w = Math.Max(w, Math.Abs(wih[row * k + i]));
                    for (int i = 0; i < h; i++) w = Math.Max(w, Math.Abs(whh[row * h + i]));
                    double dw = w / 127;
                    double sigma = Math.Sqrt((k + h) / 12.0 * (w * w * dx * dx + x * x * dw * dw));
                    worst = Math.Max(worst, sigma);
                }
            }
        }
        return Int8Accumulation * 4 * worst;
    }

    /// <summary>The allowance for int8 error carried through time and layers; see <see cref="Int8(RnnParameters, Int8Quantization)"/>.</summary>
    public const double Int8Accumulation = 2;

    public static double For(RnnPrecision precision) => precision switch
    {
        RnnPrecision.F32 => F32,
        RnnPrecision.Bf16 => Bf16,
        RnnPrecision.F16 => F16,
        RnnPrecision.Int8 => throw new ArgumentException("The int8 tolerance depends on the model and its calibration; use ValidationTolerance.Int8(parameters, quantization).", nameof(precision)),
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };

    /// <summary>The largest accepted max |actual − reference| for a reference tensor whose largest magnitude is <paramref name="referenceMaxAbs"/>.</summary>
    public static double Bound(double tolerance, double referenceMaxAbs) => tolerance * Math.Max(1.0, referenceMaxAbs);

    /// <summary>How the rule reads in reports.</summary>
    public static string Describe(double tolerance) => $"max|a-b| <= {tolerance:0.###e+0} * max(1, max|ref|)";
}
