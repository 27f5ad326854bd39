using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Numerics.Tensors;

namespace RnnNative.Formats;

/// <summary>
/// Reads safetensors files (8-byte little-endian header length, UTF-8 JSON header, raw little-endian data).
/// Every file is treated as untrusted: all lengths, offsets and shapes are checked against the file's real size
/// before anything is allocated, and any defect is a <see cref="FileFormatException"/> naming the file.
/// </summary>
public static class SafetensorsReader
{
    /// <summary>The reference implementation's limit; a larger header is a forged or broken file.</summary>
    public const int MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static SafetensorsContent Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, path);
    }

    /// <summary>Reads from a stream (a pipe is fine); <paramref name="sourceName"/> is used in error messages.</summary>
    public static SafetensorsContent Read(Stream stream, string sourceName) => UntrustedStream.Read(stream, sourceName, ReadSeekable);

    private static SafetensorsContent ReadSeekable(Stream stream, string file)
    {
        long fileLength = stream.Length - stream.Position;
        if (fileLength < 8)
            throw new FileFormatException(file, $"not a safetensors file: {fileLength} bytes is shorter than the 8-byte header length");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(fileLength - 8))
            throw new FileFormatException(file, $"header length {headerLength} is beyond the end of the file ({fileLength - 8} bytes follow the length field)");
        if (headerLength > MaxHeaderBytes)
            throw new FileFormatException(file, $"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");
        if (headerLength < 2)
            throw new FileFormatException(file, $"header length {headerLength} is too short for a JSON object");

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        long dataLength = fileLength - 8 - (long)headerLength;
        var (metadata, entries) = ParseHeader(headerBytes, dataLength, file);

        var tensors = new List<KeyValuePair<string, Tensor<float>>>(entries.Count);
        long dataStart = stream.Position;
        foreach (var entry in entries)
        {
            stream.Position = dataStart + entry.Begin;
            tensors.Add(new(entry.Name, ReadTensor(stream, entry)));
        }
        return new SafetensorsContent(metadata, tensors);
    }

    private sealed record Entry(string Name, SafetensorsDType DType, int[] Shape, long ElementCount, long Begin, long End);

    private static (Dictionary<string, string> Metadata, List<Entry> Entries) ParseHeader(byte[] headerBytes, long dataLength, string file)
    {
        string json;
        try
        {
            json = StrictUtf8.GetString(headerBytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new FileFormatException(file, "the header is not valid UTF-8", e);
        }
        // The format allows trailing spaces as padding; the header itself must be one JSON object.
        if (json[0] != '{')
            throw new FileFormatException(file, "the header does not start with '{' (not a safetensors file, or a corrupt header)");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FileFormatException(file, $"the header is malformed JSON ({e.Message.Split('\n')[0].TrimEnd()})", e);
        }

        using (document)
        {
            var metadata = new Dictionary<string, string>();
            var entries = new List<Entry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new FileFormatException(file, $"the header names '{property.Name}' twice");
                if (property.Name == MetadataKey)
                    ReadMetadata(property.Value, metadata, file);
                else
                    entries.Add(ReadEntry(property.Name, property.Value, dataLength, file));
            }
            CheckCoverage(entries, dataLength, file);
            return (metadata, entries);
        }
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, string file)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new FileFormatException(file, $"{MetadataKey} must be an object of strings; got {element.ValueKind}");
        foreach (var item in element.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new FileFormatException(file, $"{MetadataKey} value '{item.Name}' must be a string; got {item.Value.ValueKind}");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw new FileFormatException(file, $"{MetadataKey} names '{item.Name}' twice");
        }
    }

    private static Entry ReadEntry(string name, JsonElement element, long dataLength, string file)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new FileFormatException(file, $"tensor '{name}': expected an object with dtype, shape and data_offsets; got {element.ValueKind}");
        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        foreach (var field in element.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype": dtypeElement = field.Value; break;
                case "shape": shapeElement = field.Value; break;
                case "data_offsets": offsetsElement = field.Value; break;
                default: throw new FileFormatException(file, $"tensor '{name}': unexpected field '{field.Name}'");
            }
        }
        if (dtypeElement is not { ValueKind: JsonValueKind.String } dt)
            throw new FileFormatException(file, $"tensor '{name}': dtype is missing or not a string");
        if (!SafetensorsDTypes.TryParse(dt.GetString()!, out var dtype, out var dtypeProblem))
            throw new FileFormatException(file, $"tensor '{name}': {dtypeProblem}");

        if (shapeElement is not { ValueKind: JsonValueKind.Array } shapeArray)
            throw new FileFormatException(file, $"tensor '{name}': shape is missing or not an array");
        var shape = new int[shapeArray.GetArrayLength()];
        int axis = 0;
        foreach (var dim in shapeArray.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt32(out int d) || d < 0)
                throw new FileFormatException(file, $"tensor '{name}': shape entry {axis} ({dim.GetRawText()}) is not a non-negative 32-bit integer");
            shape[axis++] = d;
        }

        if (offsetsElement is not { ValueKind: JsonValueKind.Array } offsets || offsets.GetArrayLength() != 2)
            throw new FileFormatException(file, $"tensor '{name}': data_offsets must be an array [begin, end]");
        long begin = ReadOffset(offsets[0], name, file), end = ReadOffset(offsets[1], name, file);
        if (begin > end)
            throw new FileFormatException(file, $"tensor '{name}': data_offsets [{begin}, {end}] end before they begin");
        if (end > dataLength)
            throw new FileFormatException(file, $"tensor '{name}': data_offsets [{begin}, {end}] are outside the {dataLength}-byte data section");

        long byteCount = end - begin;
        long elements = UntrustedStream.ElementCountWithin(shape, byteCount);
        int size = SafetensorsDTypes.SizeOf(dtype);
        if (elements < 0 || elements * size != byteCount)
            throw new FileFormatException(file,
                $"tensor '{name}': shape {RnnTensors.ShapeToString(shape)} of {dtype} needs {(elements < 0 ? "more than " + byteCount : (elements * size).ToString(System.Globalization.CultureInfo.InvariantCulture))} bytes but data_offsets give {byteCount}");
        if (elements > Array.MaxLength)
            throw new FileFormatException(file, $"tensor '{name}': {elements} elements are more than one array can hold");
        return new Entry(name, dtype, shape, elements, begin, end);
    }

    private static long ReadOffset(JsonElement element, string name, string file)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long value) || value < 0)
            throw new FileFormatException(file, $"tensor '{name}': data offset {element.GetRawText()} is not a non-negative integer");
        return value;
    }

    /// <summary>The format forbids overlapping tensors and holes in the data (they make polyglot files possible).</summary>
    private static void CheckCoverage(List<Entry> entries, long dataLength, string file)
    {
        long expected = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin < expected)
                throw new FileFormatException(file, $"tensor '{entry.Name}' at bytes [{entry.Begin}, {entry.End}) overlaps the previous tensor, which ends at {expected}");
            if (entry.Begin > expected)
                throw new FileFormatException(file, $"the data section has a hole: bytes [{expected}, {entry.Begin}) belong to no tensor");
            expected = entry.End;
        }
        if (expected != dataLength)
            throw new FileFormatException(file, $"the data section is {dataLength} bytes but the tensors cover only {expected}");
    }

    private static Tensor<float> ReadTensor(Stream stream, Entry entry)
    {
        var data = new float[entry.ElementCount];
        if (entry.DType == SafetensorsDType.F32 && BitConverter.IsLittleEndian)
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
        }
        else
        {
            var raw = new byte[entry.End - entry.Begin];
            stream.ReadExactly(raw);
            Convert(raw, entry.DType, data);
        }
        return RnnTensors.Create(data, entry.Shape);
    }

    private static void Convert(ReadOnlySpan<byte> raw, SafetensorsDType dtype, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = dtype switch
            {
                SafetensorsDType.F32 => BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * 4, 4)),
                SafetensorsDType.F64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(raw.Slice(i * 8, 8)),
                SafetensorsDType.F16 => (float)BinaryPrimitives.ReadHalfLittleEndian(raw.Slice(i * 2, 2)),
                // bfloat16 is the upper half of a float32.
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(i * 2, 2)) << 16),
            };
        }
    }
}
