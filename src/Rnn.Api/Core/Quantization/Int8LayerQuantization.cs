namespace RnnNative;

/// <summary>
/// How one layer's activations (its input and its hidden state h, which oneDNN quantizes with one pair) map to u8:
/// u8 = saturate(round(x · <see cref="Scale"/> + <see cref="Shift"/>)). The step between two codes is 1 / Scale.
/// </summary>
public readonly record struct Int8LayerQuantization(float Scale, float Shift)
{
    /// <summary>The real value between two neighbouring u8 codes.</summary>
    public double Step => 1.0 / Scale;

    /// <summary>The smallest and largest value representable without saturation.</summary>
    public double Min => -Shift / (double)Scale;
    public double Max => (255 - Shift) / (double)Scale;

    /// <summary>The largest magnitude representable without saturation.</summary>
    public double MaxAbs => Math.Max(Math.Abs(Min), Math.Abs(Max));

    /// <summary>
    /// Maps [min, max] onto the 256 codes. The range is widened to include 0 (a zero initial state and zero padding must
    /// be representable) and to at least 1e-6 wide.
    /// </summary>
    public static Int8LayerQuantization FromRange(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
            throw new ArgumentException($"The calibration range [{min}, {max}] is not a finite interval; the sample data holds non-finite values.");
        min = Math.Min(min, 0);
        max = Math.Max(max, 0);
        if (max - min < 1e-6) max = min + 1e-6;
        double scale = 255.0 / (max - min);
        return new((float)scale, (float)Math.Clamp(-min * scale, 0, 255));
    }

    /// <summary>
    /// Checks what the shim checks, with a message that names the layer; the exception names <paramref name="paramName"/>,
    /// the argument through which the caller passed this layer's quantization.
    /// </summary>
    public void Validate(int layer, string? paramName = null)
    {
        if (!(Scale > 0) || !float.IsFinite(Scale))
            throw new ArgumentException($"int8 layer {layer}: scale must be positive and finite; got {Scale}.", paramName);
        if (!(Shift >= 0 && Shift <= 255))
            throw new ArgumentException($"int8 layer {layer}: shift must be in [0, 255]; got {Shift}.", paramName);
    }
}
