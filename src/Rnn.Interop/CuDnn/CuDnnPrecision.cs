using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>
/// How the executor stores data on the GPU and how cuDNN computes. f32 uses FMA math, so no TF32 tensor cores: TF32
/// keeps 10 mantissa bits and would break the 1e-4 tolerance against the reference. f16 and bf16 store data and weights
/// in 16 bits, accumulate in f32 (mathPrec FLOAT) and may use tensor cores. The public API stays f32; conversion happens
/// on the host while staging.
/// </summary>
internal sealed record CuDnnPrecision(RnnPrecision Precision, CuDnnDataType DataType, CuDnnDataType MathPrecision, CuDnnMathType MathType, int ElementSize)
{
    public static CuDnnPrecision F32 { get; } = new(RnnPrecision.F32, CuDnnDataType.Float, CuDnnDataType.Float, CuDnnMathType.Fma, sizeof(float));
    public static CuDnnPrecision F16 { get; } = new(RnnPrecision.F16, CuDnnDataType.Half, CuDnnDataType.Float, CuDnnMathType.TensorOp, 2);
    public static CuDnnPrecision Bf16 { get; } = new(RnnPrecision.Bf16, CuDnnDataType.BFloat16, CuDnnDataType.Float, CuDnnMathType.TensorOp, 2);

    public static CuDnnPrecision For(RnnPrecision precision) => precision switch
    {
        RnnPrecision.F32 => F32,
        RnnPrecision.F16 => F16,
        RnnPrecision.Bf16 => Bf16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };

    public string Name => Precision.ToString().ToLowerInvariant();

    /// <summary>Writes <paramref name="source"/> as elements of this precision into <paramref name="destination"/> (bytes).</summary>
    public void Encode(ReadOnlySpan<float> source, Span<byte> destination)
    {
        switch (DataType)
        {
            case CuDnnDataType.Float:
                MemoryMarshal.AsBytes(source).CopyTo(destination);
                break;
            case CuDnnDataType.Half:
                TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<byte, Half>(destination)[..source.Length]);
                break;
            default:
                var bits = MemoryMarshal.Cast<byte, ushort>(destination);
                for (int i = 0; i < source.Length; i++) bits[i] = BFloat16Bits.FromSingle(source[i]);
                break;
        }
    }

    /// <summary>Reads elements of this precision from <paramref name="source"/> (bytes) into f32.</summary>
    public void Decode(ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (DataType)
        {
            case CuDnnDataType.Float:
                source[..(destination.Length * sizeof(float))].CopyTo(MemoryMarshal.AsBytes(destination));
                break;
            case CuDnnDataType.Half:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source)[..destination.Length], destination);
                break;
            default:
                var bits = MemoryMarshal.Cast<byte, ushort>(source);
                for (int i = 0; i < destination.Length; i++) destination[i] = BFloat16Bits.ToSingle(bits[i]);
                break;
        }
    }
}
