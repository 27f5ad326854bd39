using System.Buffers.Binary;
using System.Text;

namespace RnnNative.Tests.Formats;

/// <summary>Byte-level builders for hand-made (and deliberately broken) safetensors and .npy files.</summary>
internal static class RawFiles
{
    public static byte[] Safetensors(string headerJson, byte[] data, ulong? forgedHeaderLength = null)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        return Safetensors(header, data, forgedHeaderLength);
    }

    public static byte[] Safetensors(byte[] header, byte[] data, ulong? forgedHeaderLength = null)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, forgedHeaderLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    public static byte[] Npy(string headerText, byte[] data, byte major = 1, long? forgedHeaderLength = null)
    {
        var header = Encoding.UTF8.GetBytes(headerText);
        int lengthBytes = major == 1 ? 2 : 4;
        var bytes = new byte[8 + lengthBytes + header.Length + data.Length];
        bytes[0] = 0x93;
        "NUMPY"u8.CopyTo(bytes.AsSpan(1));
        bytes[6] = major;
        bytes[7] = 0;
        long length = forgedHeaderLength ?? header.Length;
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)length);
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)length);
        header.CopyTo(bytes, 8 + lengthBytes);
        data.CopyTo(bytes, 8 + lengthBytes + header.Length);
        return bytes;
    }

    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    public static byte[] Doubles(params double[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }

    public static byte[] UInt16s(params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        return bytes;
    }

    public static byte[] Int64s(params long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }
}
