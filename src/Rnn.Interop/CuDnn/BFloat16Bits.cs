namespace RnnNative.Interop.CuDnn;

/// <summary>bfloat16 as raw bits (the upper half of a float32), which .NET has no public type for.</summary>
internal static class BFloat16Bits
{
    /// <summary>Round to nearest, ties to even; NaN stays a (quiet) NaN.</summary>
    public static ushort FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x0040);
        uint roundingBias = 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)((bits + roundingBias) >> 16);
    }

    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
