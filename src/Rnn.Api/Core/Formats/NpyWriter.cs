using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Numerics.Tensors;

namespace RnnNative.Formats;

/// <summary>Writes .npy files: float32 tensors (the CLI's outputs) and int32 arrays (lengths), C order, little-endian.</summary>
public static class NpyWriter
{
    public static void Write(string path, Tensor<float> tensor)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream, tensor);
    }

    public static void Write(Stream stream, Tensor<float> tensor)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensor);
        WriteHeader(stream, new NpyHeader("<f4", false, tensor.Shape.ToArray()));
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(tensor.Span));
            return;
        }
        Span<byte> bytes = stackalloc byte[4];
        foreach (float v in tensor.Span)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, v);
            stream.Write(bytes);
        }
    }

    public static void WriteInt32(string path, int[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        long count = shape.Aggregate(1L, (a, d) => a * d);
        if (shape.Any(d => d < 0) || count != values.Length)
            throw new ArgumentException($"Shape {RnnTensors.ShapeToString(shape)} does not hold {values.Length} values.", nameof(shape));
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        WriteHeader(stream, new NpyHeader("<i4", false, shape));
        Span<byte> bytes = stackalloc byte[4];
        foreach (int v in values)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes, v);
            stream.Write(bytes);
        }
    }

    /// <summary>Version 1.0 when the header fits in 65535 bytes, else 2.0; padded with spaces so the data starts on a 64-byte boundary.</summary>
    private static void WriteHeader(Stream stream, NpyHeader header)
    {
        string text = header.Format();
        int preamble = 10;
        int total = preamble + text.Length + 1;
        int padded = (total + 63) / 64 * 64;
        if (padded - preamble > ushort.MaxValue)
        {
            preamble = 12;
            padded = (preamble + text.Length + 1 + 63) / 64 * 64;
        }
        var body = Encoding.ASCII.GetBytes(text + new string(' ', padded - preamble - text.Length - 1) + "\n");
        Span<byte> head = stackalloc byte[12];
        head[0] = 0x93;
        "NUMPY"u8.CopyTo(head[1..]);
        head[6] = preamble == 10 ? (byte)1 : (byte)2;
        head[7] = 0;
        if (preamble == 10)
            BinaryPrimitives.WriteUInt16LittleEndian(head.Slice(8, 2), (ushort)body.Length);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(head.Slice(8, 4), (uint)body.Length);
        stream.Write(head[..preamble]);
        stream.Write(body);
    }
}
