using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace RnnNative.Streaming;

/// <summary>
/// A stream's state as bytes, readable by any process holding the same model: a header that names the shape it was
/// made for (so a state never lands on a different model silently), then h (L, S) and c (L, H) as little-endian floats.
/// Layout: "RNNS", u16 version, u8 cell kind, u8 zero, i32 input size, i32 layers, i32 h width, i32 c width (0 without
/// a cell state).
/// </summary>
internal static class StreamStateFormat
{
    private const int Version = 1;
    private const int HeaderBytes = 24;
    private static ReadOnlySpan<byte> Magic => "RNNS"u8;

    public static int Size(RnnSpec spec) =>
        HeaderBytes + sizeof(float) * spec.NumLayers * (spec.HiddenStateSize + (spec.Cell.HasCellState() ? spec.CellStateSize : 0));

    public static byte[] Write(RnnSpec spec, ReadOnlySpan<float> hidden, ReadOnlySpan<float> cell)
    {
        var bytes = new byte[Size(spec)];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], Version);
        span[6] = (byte)spec.Cell;
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], spec.InputSize);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], spec.NumLayers);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], spec.HiddenStateSize);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], spec.Cell.HasCellState() ? spec.CellStateSize : 0);
        WriteFloats(hidden, span.Slice(HeaderBytes, hidden.Length * sizeof(float)));
        WriteFloats(cell, span[(HeaderBytes + hidden.Length * sizeof(float))..]);
        return bytes;
    }

    /// <summary>Checks the header against <paramref name="spec"/> and reads the floats into the given state arrays.</summary>
    public static void Read(RnnSpec spec, ReadOnlySpan<byte> bytes, Span<float> hidden, Span<float> cell)
    {
        if (bytes.Length < HeaderBytes || !bytes[..4].SequenceEqual(Magic))
            throw new ArgumentException("not a stream state (it must start with \"RNNS\", as ExportState writes).", nameof(bytes));
        int version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (version != Version)
            throw new ArgumentException($"stream state version {version}; this library reads version {Version}.", nameof(bytes));
        var cellKind = (RnnCellKind)bytes[6];
        int inputSize = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        int layers = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        int h = BinaryPrimitives.ReadInt32LittleEndian(bytes[16..]);
        int c = BinaryPrimitives.ReadInt32LittleEndian(bytes[20..]);
        int expectedC = spec.Cell.HasCellState() ? spec.CellStateSize : 0;
        if (cellKind != spec.Cell || inputSize != spec.InputSize || layers != spec.NumLayers || h != spec.HiddenStateSize || c != expectedC)
            throw new ArgumentException(
                $"the state was made for a {(Enum.IsDefined(cellKind) ? cellKind.ToModeName() : $"cell kind {(int)cellKind}")} with input {inputSize}, " +
                $"{layers} layer(s), h width {h}, c width {c}; this batcher runs {spec}.", nameof(bytes));
        if (bytes.Length != Size(spec))
            throw new ArgumentException($"the state holds {bytes.Length} bytes; a state of {spec} holds {Size(spec)}.", nameof(bytes));
        ReadFloats(bytes.Slice(HeaderBytes, hidden.Length * sizeof(float)), hidden);
        ReadFloats(bytes[(HeaderBytes + hidden.Length * sizeof(float))..], cell);
    }

    private static void WriteFloats(ReadOnlySpan<float> values, Span<byte> target)
    {
        if (BitConverter.IsLittleEndian) { MemoryMarshal.AsBytes(values).CopyTo(target); return; }
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(target[(i * 4)..], values[i]);
    }

    private static void ReadFloats(ReadOnlySpan<byte> source, Span<float> values)
    {
        if (BitConverter.IsLittleEndian) { source[..(values.Length * 4)].CopyTo(MemoryMarshal.AsBytes(values)); return; }
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * 4)..]);
    }
}
