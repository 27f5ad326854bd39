using System.Text.Json;
using RnnNative.Inference;

namespace RnnNative.Cli.Predict;

/// <summary>
/// One JSONL line → one record: <c>"id"</c> (string or integer) and <c>"tokens"</c> (integers) or <c>"features"</c>
/// (rows of numbers, all of one width). A line that cannot be read becomes a rejected record saying why, with its id
/// when the id could be read, so it lands in the errors file in its place.
/// </summary>
internal static class JsonlRecordParser
{
    /// <summary>A line already decoded (calibration samples); rnn predict parses the raw bytes, so invalid UTF-8 is seen.</summary>
    public static PredictionRecord Parse(string line, long lineNumber) => Parse(System.Text.Encoding.UTF8.GetBytes(line), lineNumber);

    public static PredictionRecord Parse(ReadOnlyMemory<byte> line, long lineNumber)
    {
        if (InvalidUtf8At(line.Span) is { } at) return PredictionRecord.Rejected($"not valid UTF-8 text (byte {at + 1} of the line)", line: lineNumber);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            return PredictionRecord.Rejected($"malformed JSON: {e.Message}", line: lineNumber);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return PredictionRecord.Rejected($"a record must be a JSON object, not {Describe(root.ValueKind)}", line: lineNumber);
            if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind == JsonValueKind.Null)
                return PredictionRecord.Rejected("missing \"id\"", line: lineNumber);
            RecordId id;
            if (idElement.ValueKind == JsonValueKind.String)
            {
                // An escape such as "\ud800" is valid JSON but no Unicode text: it could not be written back out.
                if (!TryGetText(idElement, out string? text)) return PredictionRecord.Rejected($"\"id\" is not valid Unicode text: {idElement.GetRawText()}", line: lineNumber);
                id = RecordId.FromString(text);
            }
            else if (idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt64(out long number)) id = RecordId.FromInteger(number);
            else return PredictionRecord.Rejected($"\"id\" must be a string or an integer, not {Describe(idElement.ValueKind)} {idElement.GetRawText()}", line: lineNumber);

            bool hasTokens = root.TryGetProperty("tokens", out var tokens) && tokens.ValueKind != JsonValueKind.Null;
            bool hasFeatures = root.TryGetProperty("features", out var features) && features.ValueKind != JsonValueKind.Null;
            if (hasTokens && hasFeatures) return PredictionRecord.Rejected("a record has \"tokens\" or \"features\", not both", id, lineNumber);
            // An integer "label" is the record's known class, for the accuracy in the summary; other label values are not scored.
            int? expected = root.TryGetProperty("label", out var label) && label.ValueKind == JsonValueKind.Number && label.TryGetInt32(out int known) ? known : null;
            if (hasTokens) return ReadTokens(tokens, id, lineNumber, expected);
            if (hasFeatures) return ReadFeatures(features, id, lineNumber);
            return PredictionRecord.Rejected("missing \"tokens\" (or \"features\")", id, lineNumber);
        }
    }

    private static bool TryGetText(JsonElement element, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? text)
    {
        try
        {
            text = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    /// <summary>The offset of the first byte that is not part of valid UTF-8, or null when the line is valid UTF-8.</summary>
    private static int? InvalidUtf8At(ReadOnlySpan<byte> line)
    {
        if (System.Text.Unicode.Utf8.IsValid(line)) return null;
        int at = 0;
        while (System.Text.Rune.DecodeFromUtf8(line[at..], out _, out int consumed) == System.Buffers.OperationStatus.Done) at += consumed;
        return at;
    }

    private static PredictionRecord ReadTokens(JsonElement tokens, RecordId id, long line, int? expectedLabel)
    {
        if (tokens.ValueKind != JsonValueKind.Array) return PredictionRecord.Rejected($"\"tokens\" must be an array of integers, not {Describe(tokens.ValueKind)}", id, line);
        var values = new int[tokens.GetArrayLength()];
        int i = 0;
        foreach (var token in tokens.EnumerateArray())
        {
            if (token.ValueKind != JsonValueKind.Number || !token.TryGetInt32(out values[i]))
                return PredictionRecord.Rejected($"tokens[{i}] is not a 32-bit integer: {token.GetRawText()}", id, line);
            i++;
        }
        return PredictionRecord.FromTokens(id, values, line, expectedLabel: expectedLabel);
    }

    private static PredictionRecord ReadFeatures(JsonElement features, RecordId id, long line)
    {
        if (features.ValueKind != JsonValueKind.Array) return PredictionRecord.Rejected($"\"features\" must be an array of rows of numbers, not {Describe(features.ValueKind)}", id, line);
        int steps = features.GetArrayLength(), width = -1, t = 0;
        float[] values = [];
        foreach (var row in features.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array) return PredictionRecord.Rejected($"features[{t}] must be an array of numbers, not {Describe(row.ValueKind)}", id, line);
            if (width < 0)
            {
                width = row.GetArrayLength();
                values = new float[steps * width];
            }
            else if (row.GetArrayLength() != width)
                return PredictionRecord.Rejected($"features[{t}] has {row.GetArrayLength()} values, but features[0] has {width}", id, line);
            int c = 0;
            foreach (var value in row.EnumerateArray())
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetSingle(out values[t * width + c]) || !float.IsFinite(values[t * width + c]))
                    return PredictionRecord.Rejected($"features[{t}][{c}] is not a finite number: {value.GetRawText()}", id, line);
                c++;
            }
            t++;
        }
        return PredictionRecord.FromFeatures(id, values, steps, line);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
