using Google.Protobuf;
using RnnNative.Formats;
using RnnNative.Onnx.Protos;

namespace RnnNative.Onnx;

/// <summary>Reads an ONNX file into its protobuf message; every malformation becomes a one-line <see cref="FileFormatException"/>.</summary>
internal static class OnnxFile
{
    /// <summary>Protobuf's own limit for one message; a larger file cannot be a valid ONNX model without external data.</summary>
    private const long MaxFileBytes = int.MaxValue;

    public static ModelProto Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: no such file.", path);
        if (info.Length > MaxFileBytes)
            throw OnnxFormatError.Create(path, $"the file is {info.Length} bytes; an ONNX model with weights inside is at most 2 GiB");
        // The whole file is read first, so every length field the parser meets is checked against bytes that exist:
        // a forged length fails as truncation instead of asking for a buffer of that size.
        return Parse(File.ReadAllBytes(path), path);
    }

    public static ModelProto Parse(byte[] bytes, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0) throw OnnxFormatError.Create(sourceName, "the file is empty");
        try
        {
            var model = ModelProto.Parser.ParseFrom(bytes);
            if (model.Graph is null) throw OnnxFormatError.Create(sourceName, "the file holds no graph (not an ONNX model)");
            return model;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw OnnxFormatError.Create(sourceName, $"not a valid ONNX protobuf ({OneLine(e.Message)})", e);
        }
    }

    private static string OneLine(string message) => string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
}
