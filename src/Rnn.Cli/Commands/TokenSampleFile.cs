using RnnNative.Cli.Predict;

namespace RnnNative.Cli.Commands;

/// <summary>
/// Calibration samples for a whole model, in the JSONL records <c>rnn predict</c> reads (and read by its parser): one
/// object per line with an <c>"id"</c> and <c>"tokens"</c> (integer token ids). Blank lines are skipped. Calibration
/// must see the data it is told to see, so a record predict would reject is an error naming the line, never skipped.
/// </summary>
internal static class TokenSampleFile
{
    public static IEnumerable<int[]> Read(string path)
    {
        long number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var record = JsonlRecordParser.Parse(line, number);
            if (record.Rejection is { } reason) throw new CliUsageException($"--input {path} line {number}: {reason}.");
            yield return record.Tokens
                ?? throw new CliUsageException($"--input {path} line {number}: a calibration record has \"tokens\" (token ids), not \"features\".");
        }
    }
}
