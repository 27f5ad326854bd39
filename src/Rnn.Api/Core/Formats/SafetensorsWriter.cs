using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Numerics.Tensors;

namespace RnnNative.Formats;

/// <summary>Writes float32 tensors and string metadata as a safetensors file, readable by the Python safetensors package.</summary>
public static class SafetensorsWriter
{
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor<float>>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream, tensors, metadata);
    }

    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor<float>>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in list)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            if (name == "__metadata__" || !names.Add(name))
                throw new ArgumentException($"Tensor name '{name}' is reserved or used twice.", nameof(tensors));
        }

        var header = BuildHeader(list, metadata);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var (_, tensor) in list)
        {
            if (BitConverter.IsLittleEndian)
            {
                stream.Write(MemoryMarshal.AsBytes(tensor.Span));
                continue;
            }
            var bytes = new byte[4];
            foreach (float v in tensor.Span)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes, v);
                stream.Write(bytes);
            }
        }
    }

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes so the data is aligned (as the reference writer does).</summary>
    private static byte[] BuildHeader(List<KeyValuePair<string, Tensor<float>>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += 4L * tensor.Length;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        int padding = (int)((8 - buffer.Length % 8) % 8);
        for (int i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }
}
