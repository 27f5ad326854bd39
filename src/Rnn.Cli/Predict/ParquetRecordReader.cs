using System.Collections;
using Parquet;
using Parquet.Serialization;
using RnnNative.Inference;

namespace RnnNative.Cli.Predict;

/// <summary>
/// Records from a Parquet file (Parquet.Net), one row group at a time so memory stays bounded by a row group:
/// columns <c>id</c> (string or integer) and <c>tokens</c> (list of int32/int64) or <c>features</c> (list of list of
/// float/double). A row that cannot be read becomes a rejected record; its <see cref="PredictionRecord.Line"/> is the
/// row's number in the file (from 1).
/// </summary>
internal static class ParquetRecordReader
{
    /// <summary>The rows in the file (from its footer), without reading them.</summary>
    public static async Task<long> CountAsync(string path)
    {
        await using var reader = await OpenAsync(path).ConfigureAwait(false);
        return reader.Metadata?.NumRows ?? 0;
    }

    /// <summary>
    /// Rows of one row group rnn predict reads at once, by default: Parquet.Net decodes a whole row group into objects
    /// (about 1.6 GB for a million short rows), so a larger one is refused, by name, with how to rewrite the file.
    /// </summary>
    public const int DefaultMaxRowGroupRows = 262_144;

    public static async IAsyncEnumerable<(long Row, Func<PredictionRecord> Read)> ReadAsync(string path, int maxRowGroupRows = DefaultMaxRowGroupRows)
    {
        int groups;
        await using (var reader = await OpenAsync(path).ConfigureAwait(false))
        {
            var names = reader.Schema.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            if (!names.Contains("id") || !(names.Contains("tokens") || names.Contains("features")))
                throw new CliUsageException($"--input {path}: a Parquet input needs the columns id and tokens (or features); it has {string.Join(", ", names)}.");
            groups = reader.RowGroupCount;
            var sizes = reader.Metadata?.RowGroups ?? [];
            for (int g = 0; g < sizes.Count; g++)
                if (sizes[g].NumRows > maxRowGroupRows)
                    throw new CliUsageException($"--input {path}: row group {g} holds {sizes[g].NumRows} rows, over the {maxRowGroupRows} rnn predict reads at once " +
                        $"(--max-row-group-rows); rewrite the file with smaller row groups (pyarrow: pq.write_table(table, path, row_group_size=100_000)), or raise the bound.");
        }
        long row = 0;
        await using var stream = File.OpenRead(path);
        for (int g = 0; g < groups; g++)
        {
            IList<Dictionary<string, object>> rows;
            try
            {
                rows = (await ParquetSerializer.DeserializeUntypedAsync(stream, null, g).ConfigureAwait(false)).Data;
            }
            catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException or CliUsageException))
            {
                throw new CliUsageException($"--input {path}: row group {g} cannot be read ({e.GetType().Name}: {e.Message}); the file is damaged or truncated.");
            }
            foreach (var values in rows)
            {
                long number = ++row;
                yield return (number, () => ToRecord(values, number));
            }
        }
    }

    private static async Task<ParquetReader> OpenAsync(string path)
    {
        ParquetReader? reader = null;
        try
        {
            reader = await ParquetReader.CreateAsync(path).ConfigureAwait(false);
            // The schema is decoded from the footer on first use: a damaged one fails here, where it is named.
            _ = reader.Schema.Fields;
            return reader;
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException or FileNotFoundException or UnauthorizedAccessException))
        {
            // A damaged footer can fail in any way (a length of 2^31 overflows); each is the file's fault, not the tool's.
            if (reader is not null) await reader.DisposeAsync().ConfigureAwait(false);
            throw new CliUsageException($"--input {path}: not a readable Parquet file ({e.GetType().Name}: {e.Message}).");
        }
    }

    private static PredictionRecord ToRecord(Dictionary<string, object> values, long row)
    {
        RecordId id;
        switch (values.GetValueOrDefault("id"))
        {
            case null: return PredictionRecord.Rejected("missing \"id\"", line: row);
            case string text: id = RecordId.FromString(text); break;
            case ReadOnlyMemory<char> text: id = RecordId.FromString(text.ToString()); break;
            case long l: id = RecordId.FromInteger(l); break;
            case int i: id = RecordId.FromInteger(i); break;
            case var other: return PredictionRecord.Rejected($"\"id\" must be a string or an integer, not {other.GetType().Name}", line: row);
        }
        var tokens = values.GetValueOrDefault("tokens");
        var features = values.GetValueOrDefault("features");
        if (tokens is not null && features is not null) return PredictionRecord.Rejected("a record has \"tokens\" or \"features\", not both", id, row);
        if (tokens is IEnumerable tokenList) return ReadTokens(tokenList, id, row);
        if (features is IEnumerable featureRows) return ReadFeatures(featureRows, id, row);
        return PredictionRecord.Rejected("missing \"tokens\" (or \"features\")", id, row);
    }

    private static PredictionRecord ReadTokens(IEnumerable list, RecordId id, long row)
    {
        var tokens = new List<int>();
        foreach (var value in list)
        {
            switch (value)
            {
                case int i: tokens.Add(i); break;
                case long l when l is >= int.MinValue and <= int.MaxValue: tokens.Add((int)l); break;
                case string or ReadOnlyMemory<char>: return PredictionRecord.Rejected($"tokens[{tokens.Count}] is a string (\"{value}\"), not a 32-bit integer; token columns hold integers", id, row);
                default: return PredictionRecord.Rejected($"tokens[{tokens.Count}] is not a 32-bit integer: {value ?? "null"}", id, row);
            }
        }
        return PredictionRecord.FromTokens(id, [.. tokens], row);
    }

    private static PredictionRecord ReadFeatures(IEnumerable rows, RecordId id, long row)
    {
        var values = new List<float>();
        int steps = 0, width = -1;
        foreach (var item in rows)
        {
            if (item is not IEnumerable rowValues) return PredictionRecord.Rejected($"features[{steps}] is not a list of numbers", id, row);
            int count = 0;
            foreach (var value in rowValues)
            {
                float v = value switch { float f => f, double d => (float)d, _ => float.NaN };
                if (!float.IsFinite(v)) return PredictionRecord.Rejected($"features[{steps}][{count}] is not a finite number: {value ?? "null"}", id, row);
                values.Add(v);
                count++;
            }
            if (width < 0) width = count;
            else if (count != width) return PredictionRecord.Rejected($"features[{steps}] has {count} values, but features[0] has {width}", id, row);
            steps++;
        }
        return PredictionRecord.FromFeatures(id, [.. values], steps, row);
    }
}
