using RnnNative.Interop.CuDnn;

namespace RnnNative.Tests.CuDnn;

/// <summary>Host-side conversion to the GPU storage formats; the expected bit patterns are IEEE facts, not outputs of the code.</summary>
public class CuDnnPrecisionTests
{
    [TestCase(1.0f, (ushort)0x3F80)]
    [TestCase(-2.0f, (ushort)0xC000)]
    [TestCase(0.0f, (ushort)0x0000)]
    [TestCase(3.140625f, (ushort)0x4049)]
    public void BFloat16KeepsTheUpperHalfOfExactValues(float value, ushort bits) =>
        Assert.That(BFloat16Bits.FromSingle(value), Is.EqualTo(bits));

    [TestCase(0x3F808000u, (ushort)0x3F80)]
    [TestCase(0x3F818000u, (ushort)0x3F82)]
    [TestCase(0x3F808001u, (ushort)0x3F81)]
    [TestCase(0x3F807FFFu, (ushort)0x3F80)]
    public void BFloat16RoundsToNearestTiesToEven(uint floatBits, ushort expected) =>
        Assert.That(BFloat16Bits.FromSingle(BitConverter.UInt32BitsToSingle(floatBits)), Is.EqualTo(expected));

    [Test]
    public void BFloat16KeepsNaNAndInfinity()
    {
        Assert.That(float.IsNaN(BFloat16Bits.ToSingle(BFloat16Bits.FromSingle(float.NaN))), Is.True);
        Assert.That(BFloat16Bits.ToSingle(BFloat16Bits.FromSingle(float.PositiveInfinity)), Is.EqualTo(float.PositiveInfinity));
    }

    [Test]
    public void F32RoundTripsExactly()
    {
        float[] values = [1.5f, -0.1f, 3.4e38f, 1e-40f];
        var bytes = new byte[values.Length * 4];
        CuDnnPrecision.F32.Encode(values, bytes);
        var back = new float[values.Length];
        CuDnnPrecision.F32.Decode(bytes, back);
        Assert.That(back, Is.EqualTo(values));
        Assert.That(BitConverter.ToSingle(bytes, 4), Is.EqualTo(-0.1f));
    }

    [Test]
    public void F16WritesIeeeHalfBits()
    {
        var bytes = new byte[4];
        CuDnnPrecision.F16.Encode([1.5f, -2.0f], bytes);
        Assert.That(BitConverter.ToUInt16(bytes, 0), Is.EqualTo((ushort)0x3E00));
        Assert.That(BitConverter.ToUInt16(bytes, 2), Is.EqualTo((ushort)0xC000));
        var back = new float[2];
        CuDnnPrecision.F16.Decode(bytes, back);
        Assert.That(back, Is.EqualTo(new[] { 1.5f, -2.0f }));
    }

    [Test]
    public void F32UsesFmaMathSoNoTf32()
    {
        Assert.That(CuDnnPrecision.F32.MathType.ToString(), Is.EqualTo("Fma"));
        Assert.That(CuDnnPrecision.F16.MathPrecision.ToString(), Is.EqualTo("Float"));
        Assert.That(CuDnnPrecision.Bf16.MathPrecision.ToString(), Is.EqualTo("Float"));
    }
}
