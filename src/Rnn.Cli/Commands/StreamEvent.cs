using System.Text.Json;

namespace RnnNative.Cli.Commands;

/// <summary>
/// One input line of <c>rnn stream</c>: <c>{"stream": KEY, "features": [[...], ...]}</c> or
/// <c>{"stream": KEY, "tokens": [...]}</c>, optionally <c>"end": true</c> (with or without steps). KEY is a string or
/// an integer, written back as given; keys are compared by their text.
/// </summary>
internal sealed record StreamEvent(string Key, JsonElement KeyValue, float[]? Features, int FeatureRows, int[]? Tokens, bool End)
{
    /// <summary>The event, or the reason the line is not one.</summary>
    public static (StreamEvent? Event, string? Error, JsonElement? Key) Parse(string line, int inputSize)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            return (null, $"not JSON: {e.Message}", null);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, "an event is a JSON object", null);
            if (!root.TryGetProperty("stream", out var keyValue)
                || keyValue.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)
                || (keyValue.ValueKind == JsonValueKind.Number && !keyValue.TryGetInt64(out _)))
                return (null, "\"stream\" must be a string or an integer", null);
            var key = keyValue.Clone();
            string text = key.ValueKind == JsonValueKind.String ? key.GetString()! : key.GetRawText();
            bool end = false;
            if (root.TryGetProperty("end", out var endValue))
            {
                if (endValue.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return (null, "\"end\" must be true or false", key);
                end = endValue.GetBoolean();
            }
            bool hasFeatures = root.TryGetProperty("features", out var features);
            bool hasTokens = root.TryGetProperty("tokens", out var tokens);
            if (hasFeatures && hasTokens) return (null, "an event has \"features\" or \"tokens\", not both", key);
            if (hasTokens)
            {
                if (tokens.ValueKind != JsonValueKind.Array || tokens.GetArrayLength() == 0) return (null, "\"tokens\" must be a non-empty array of token ids", key);
                var ids = new int[tokens.GetArrayLength()];
                int i = 0;
                foreach (var t in tokens.EnumerateArray())
                {
                    if (t.ValueKind != JsonValueKind.Number || !t.TryGetInt32(out ids[i])) return (null, $"token {i} is not an integer", key);
                    i++;
                }
                return (new StreamEvent(text, key, null, 0, ids, end), null, key);
            }
            if (hasFeatures)
            {
                if (features.ValueKind != JsonValueKind.Array || features.GetArrayLength() == 0)
                    return (null, "\"features\" must be a non-empty array of steps, each an array of input_size numbers", key);
                int rows = features.GetArrayLength();
                var values = new float[rows * inputSize];
                int r = 0;
                foreach (var row in features.EnumerateArray())
                {
                    if (row.ValueKind != JsonValueKind.Array) return (null, $"step {r} of \"features\" is not an array (steps are [[...], ...])", key);
                    if (row.GetArrayLength() != inputSize) return (null, $"step {r} has {row.GetArrayLength()} features; the model reads {inputSize}", key);
                    int c = 0;
                    foreach (var v in row.EnumerateArray())
                    {
                        if (v.ValueKind != JsonValueKind.Number || !v.TryGetSingle(out float f) || !float.IsFinite(f))
                            return (null, $"step {r}, feature {c} is not a finite number", key);
                        values[r * inputSize + c++] = f;
                    }
                    r++;
                }
                return (new StreamEvent(text, key, values, rows, null, end), null, key);
            }
            return end ? (new StreamEvent(text, key, null, 0, null, true), null, key)
                : (null, "an event needs \"features\" or \"tokens\" (or \"end\": true)", key);
        }
    }
}
