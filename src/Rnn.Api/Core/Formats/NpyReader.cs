using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Numerics.Tensors;

namespace RnnNative.Formats;

/// <summary>
/// Reads NumPy .npy files, versions 1.0 to 3.0, C order. Floats (float32; float64 converted) become tensors, integers
/// (int32, int64) become <see cref="NpyInt32Array"/>. Every file is treated as untrusted: the header is parsed strictly
/// and the shape is checked against the real file size before anything is allocated.
/// </summary>
public static class NpyReader
{
    /// <summary>A generous bound on the header; NumPy's own default limit is 10,000 characters.</summary>
    public const int MaxHeaderBytes = 1 << 20;

    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Tensor<float> ReadFloat32(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadFloat32(stream, path);
    }

    public static Tensor<float> ReadFloat32(Stream stream, string sourceName)
    {
        var (header, elementType, data) = ReadRaw(stream, sourceName);
        if (elementType.Kind != 'f')
            throw new FileFormatException(sourceName, $"expected a float32 or float64 array; got dtype '{header.Descr}'");
        var values = new float[data.Length / elementType.Size];
        for (int i = 0; i < values.Length; i++)
        {
            var bytes = data.AsSpan(i * elementType.Size, elementType.Size);
            values[i] = (elementType.Size, elementType.LittleEndian) switch
            {
                (4, true) => BinaryPrimitives.ReadSingleLittleEndian(bytes),
                (4, false) => BinaryPrimitives.ReadSingleBigEndian(bytes),
                (_, true) => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes),
                (_, false) => (float)BinaryPrimitives.ReadDoubleBigEndian(bytes),
            };
        }
        return RnnTensors.Create(values, header.Shape);
    }

    public static NpyInt32Array ReadInt32(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadInt32(stream, path);
    }

    public static NpyInt32Array ReadInt32(Stream stream, string sourceName)
    {
        var (header, elementType, data) = ReadRaw(stream, sourceName);
        if (elementType.Kind != 'i')
            throw new FileFormatException(sourceName, $"expected an int32 or int64 array; got dtype '{header.Descr}'");
        var values = new int[data.Length / elementType.Size];
        for (int i = 0; i < values.Length; i++)
        {
            var bytes = data.AsSpan(i * elementType.Size, elementType.Size);
            long value = (elementType.Size, elementType.LittleEndian) switch
            {
                (4, true) => BinaryPrimitives.ReadInt32LittleEndian(bytes),
                (4, false) => BinaryPrimitives.ReadInt32BigEndian(bytes),
                (_, true) => BinaryPrimitives.ReadInt64LittleEndian(bytes),
                (_, false) => BinaryPrimitives.ReadInt64BigEndian(bytes),
            };
            if (value is < int.MinValue or > int.MaxValue)
                throw new FileFormatException(sourceName, $"element {i} = {value} does not fit in 32 bits");
            values[i] = (int)value;
        }
        return new NpyInt32Array(header.Shape, values);
    }

    private readonly record struct ElementType(char Kind, int Size, bool LittleEndian);

    private static (NpyHeader Header, ElementType ElementType, byte[] Data) ReadRaw(Stream stream, string file) =>
        UntrustedStream.Read(stream, file, ReadSeekable);

    private static (NpyHeader, ElementType, byte[]) ReadSeekable(Stream stream, string file)
    {
        long fileLength = stream.Length - stream.Position;
        Span<byte> prefix = stackalloc byte[12];
        if (fileLength < 10)
            throw new FileFormatException(file, $"not a .npy file: {fileLength} bytes is shorter than the 10-byte preamble");
        stream.ReadExactly(prefix[..8]);
        if (!prefix[..6].SequenceEqual(Magic))
            throw new FileFormatException(file, "not a .npy file: the magic string \\x93NUMPY is missing");
        byte major = prefix[6], minor = prefix[7];
        if (major is < 1 or > 3 || minor != 0)
            throw new FileFormatException(file, $"unsupported .npy format version {major}.{minor}; versions 1.0, 2.0 and 3.0 are read");

        int lengthBytes = major == 1 ? 2 : 4;
        if (fileLength < 8 + lengthBytes)
            throw new FileFormatException(file, "the file ends inside the header length");
        stream.ReadExactly(prefix.Slice(8, lengthBytes));
        long headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(prefix.Slice(8, 2))
            : BinaryPrimitives.ReadUInt32LittleEndian(prefix.Slice(8, 4));
        long afterPreamble = fileLength - 8 - lengthBytes;
        if (headerLength > afterPreamble)
            throw new FileFormatException(file, $"header length {headerLength} is beyond the end of the file ({afterPreamble} bytes follow)");
        if (headerLength > MaxHeaderBytes)
            throw new FileFormatException(file, $"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var header = NpyHeader.Parse(DecodeHeader(headerBytes, major, file), file);
        if (header.FortranOrder)
            throw new FileFormatException(file, "the array is in Fortran order; only C order is supported (save np.ascontiguousarray(a))");
        var elementType = ParseDescr(header.Descr, file);

        long dataLength = afterPreamble - headerLength;
        long elements = UntrustedStream.ElementCountWithin(header.Shape, dataLength);
        if (elements < 0 || elements * elementType.Size != dataLength)
            throw new FileFormatException(file,
                $"shape {RnnTensors.ShapeToString(header.Shape)} of '{header.Descr}' needs {(elements < 0 ? "more than " + dataLength : (elements * elementType.Size).ToString())} bytes of data, but the file holds {dataLength}");
        if (elements > Array.MaxLength)
            throw new FileFormatException(file, $"{elements} elements are more than one array can hold");

        var data = new byte[dataLength];
        stream.ReadExactly(data);
        return (header, elementType, data);
    }

    private static string DecodeHeader(byte[] bytes, byte major, string file)
    {
        if (major < 3)
        {
            // Versions 1 and 2 are latin-1; every meaningful header is ASCII, anything else is corruption.
            if (bytes.Any(b => b >= 0x80))
                throw new FileFormatException(file, "the header contains non-ASCII bytes");
            return Encoding.ASCII.GetString(bytes);
        }
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new FileFormatException(file, "the header is not valid UTF-8", e);
        }
    }

    private static ElementType ParseDescr(string descr, string file)
    {
        if (descr.Length >= 2 && descr[0] is '<' or '>' or '=' or '|')
        {
            // '=' is native order and '|' "not applicable"; NumPy only writes them for single bytes, which we reject below.
            bool little = descr[0] != '>';
            var type = descr[1..] switch
            {
                "f4" => new ElementType('f', 4, little),
                "f8" => new ElementType('f', 8, little),
                "i4" => new ElementType('i', 4, little),
                "i8" => new ElementType('i', 8, little),
                _ => (ElementType?)null,
            };
            if (type is { } t && (descr[0] is '<' or '>' || BitConverter.IsLittleEndian)) return t;
        }
        throw new FileFormatException(file, $"unsupported dtype '{descr}'; float32, float64, int32 and int64 are read");
    }
}
