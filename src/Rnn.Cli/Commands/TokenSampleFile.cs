using System.Text.Json;

namespace RnnNative.Cli.Commands;

/// <summary>
/// Calibration samples for a whole model, in the JSONL records <c>rnn predict</c> reads: one object per line with an
/// <c>"id"</c> and <c>"tokens"</c> (integer token ids). Blank lines are skipped. Calibration must see the data it is
/// told to see, so a malformed line is an error naming the line, never skipped.
/// </summary>
internal static class TokenSampleFile
{
    public static IEnumerable<int[]> Read(string path)
    {
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return Parse(line, path, number);
        }
    }

    private static int[] Parse(string line, string path, int number)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("tokens", out var tokens))
                throw new CliUsageException($"--input {path} line {number}: a calibration record is an object with \"tokens\" (an array of token ids).");
            if (tokens.ValueKind != JsonValueKind.Array)
                throw new CliUsageException($"--input {path} line {number}: \"tokens\" must be an array of token ids.");
            var ids = new int[tokens.GetArrayLength()];
            int i = 0;
            foreach (var token in tokens.EnumerateArray())
            {
                if (token.ValueKind != JsonValueKind.Number || !token.TryGetInt32(out ids[i]))
                    throw new CliUsageException($"--input {path} line {number}: token {i} ({token.GetRawText()}) is not an integer token id.");
                i++;
            }
            return ids;
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"--input {path} line {number}: not a JSON object ({e.Message.Split(" Path:")[0]})");
        }
    }
}
