using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RnnNative.Inference;

namespace RnnNative.Cli.Predict;

/// <summary>
/// One line of the errors file: <c>{"id": …, "reason": …}</c>, or <c>"line"</c> (the line or row number in its input)
/// when the record has no readable id; with several inputs also <c>"input"</c>, the file it came from.
/// </summary>
internal static class ErrorLine
{
    // Reasons quote the input ('3', "id"); people read this file, and it is never embedded in HTML.
    private static readonly JsonWriterOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string For(PredictionResult result, string? input)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, Readable))
        {
            json.WriteStartObject();
            if (result.Id is { } id) JsonlResultFormat.WriteId(json, id);
            else if (result.Record.Line is { } line) json.WriteNumber("line", line);
            if (input is not null) json.WriteString("input", input);
            json.WriteString("reason", result.Error);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
