using System.Buffers.Binary;

namespace RnnNative.Tests.Streaming;

/// <summary>
/// Reads an exported stream state by the documented layout (24-byte header, then h and c as little-endian floats),
/// written out here from the documentation rather than taken from the library's reader.
/// </summary>
internal static class StreamStateReader
{
    public static (float[] Hidden, float[] Cell) Read(RnnSpec spec, byte[] bytes)
    {
        Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 0, 4), Is.EqualTo("RNNS"));
        int layers = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        int h = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16));
        int c = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(20));
        Assert.That((layers, h, c), Is.EqualTo((spec.NumLayers, spec.HiddenStateSize, spec.Cell.HasCellState() ? spec.CellStateSize : 0)));
        var hidden = new float[layers * h];
        var cell = new float[layers * c];
        for (int i = 0; i < hidden.Length; i++) hidden[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(24 + 4 * i));
        for (int i = 0; i < cell.Length; i++) cell[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(24 + 4 * (hidden.Length + i)));
        Assert.That(bytes.Length, Is.EqualTo(24 + 4 * (hidden.Length + cell.Length)));
        return (hidden, cell);
    }
}
