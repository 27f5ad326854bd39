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
        long[] sizes;
        await using (var reader = await OpenAsync(path).ConfigureAwait(false))
        {
            var names = reader.Schema.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            if (!names.Contains("id") || !(names.Contains("tokens") || names.Contains("features")))
                throw new CliUsageException($"--input {path}: a Parquet input needs the columns id and tokens (or features); it has {string.Join(", ", names)}.");
            groups = reader.RowGroupCount;
            sizes = (reader.Metadata?.RowGroups ?? []).Select(r => r.NumRows).ToArray();
            if (sizes.Length != groups) throw new CliUsageException($"--input {path}: {groups} row groups, but the footer describes {sizes.Length}; the file is damaged.");
            for (int g = 0; g < sizes.Length; g++)
                if (sizes[g] > maxRowGroupRows)
                    throw new CliUsageException($"--input {path}: row group {g} holds {sizes[g]} rows, over the {maxRowGroupRows} rnn predict reads at once " +
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
            // A row group's row count is checked against the footer's other claims when the file is opened; the rows
            // Parquet.Net assembles must match it too, or some were lost or invented on the way.
            if (rows.Count != sizes[g])
                throw new CliUsageException($"--input {path}: row group {g} decoded to {rows.Count} rows, but the footer says {sizes[g]}; the file is damaged.");
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
            await CheckFooterAsync(path, reader).ConfigureAwait(false);
            return reader;
        }
        catch (CliUsageException)
        {
            if (reader is not null) await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException or FileNotFoundException or UnauthorizedAccessException))
        {
            // A damaged footer can fail in any way (a length of 2^31 overflows); each is the file's fault, not the tool's.
            if (reader is not null) await reader.DisposeAsync().ConfigureAwait(false);
            throw new CliUsageException($"--input {path}: not a readable Parquet file ({e.GetType().Name}: {e.Message}).");
        }
    }

    /// <summary>
    /// Checks what the footer claims against the file and against itself. Parquet keeps no checksum of its footer, and
    /// Parquet.Net skips a field it cannot parse and leaves the fields after it at their defaults: one flipped byte can
    /// hide the row groups, or a row group's row count, and the file then reads as a valid file of no rows. Each check
    /// holds for every file a writer produces: the file's row count is the sum of its row groups'; a row group has one
    /// column chunk per column of the schema, each inside the bytes between the leading magic and the footer, none
    /// overlapping another; the first begins right after the magic and a row group's chunks follow one another without
    /// a gap (writers pad only between row groups, and put page indexes and bloom filters after the last one); a column
    /// holds at least one value per row, exactly one when it is neither nested nor repeated; and a file with bytes
    /// between the magic and the footer has at least one row group.
    /// </summary>
    private static async Task CheckFooterAsync(string path, ParquetReader reader)
    {
        const long DataStart = 4; // after the leading magic, PAR1
        long length, footerStart;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, useAsync: false))
        {
            length = file.Length;
            var tail = new byte[8];
            file.Seek(-8, SeekOrigin.End);
            file.ReadExactly(tail);
            footerStart = length - 8 - BitConverter.ToUInt32(tail, 0);
        }
        var meta = reader.Metadata ?? throw Damaged(path, "it holds no file metadata");
        var groups = meta.RowGroups ?? [];
        if (groups.Count == 0 && footerStart > DataStart)
            throw Damaged(path, $"it lists no row groups, but {footerStart - DataStart} bytes lie between the leading magic and the footer");
        int columns = reader.Schema.GetDataFields().Length;
        long rows = 0;
        var chunks = new List<(long Start, long End, int Group, string Column)>();
        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            if (group.NumRows < 0) throw Damaged(path, $"row group {g} holds {group.NumRows} rows");
            rows += group.NumRows;
            if (group.Columns is not { } list || list.Count != columns)
                throw Damaged(path, $"row group {g} has {group.Columns?.Count ?? 0} column chunks, but the schema {columns} columns");
            var groupChunks = new List<(long Start, long End, int Group, string Column)>();
            foreach (var chunk in list)
            {
                var data = chunk.MetaData ?? throw Damaged(path, $"a column chunk of row group {g} has no metadata");
                string column = data.PathInSchema is { Count: > 0 } names ? string.Join('.', names) : "?";
                long start = data.DictionaryPageOffset is { } dictionary and > 0 ? Math.Min(dictionary, data.DataPageOffset) : data.DataPageOffset;
                if (start < DataStart || data.TotalCompressedSize <= 0 || data.TotalCompressedSize > footerStart - start)
                    throw Damaged(path, $"row group {g} column {column} claims {data.TotalCompressedSize} bytes from offset {start}, outside the data (bytes {DataStart} to {footerStart})");
                if (data.NumValues < group.NumRows || (data.PathInSchema is { Count: 1 } && data.NumValues != group.NumRows))
                    throw Damaged(path, $"row group {g} holds {group.NumRows} rows, but its column {column} {data.NumValues} values");
                groupChunks.Add((start, start + data.TotalCompressedSize, g, column));
            }
            groupChunks.Sort((a, b) => a.Start.CompareTo(b.Start));
            for (int i = 1; i < groupChunks.Count; i++)
                if (groupChunks[i].Start > groupChunks[i - 1].End)
                    throw Damaged(path, $"row group {g}: bytes {groupChunks[i - 1].End} to {groupChunks[i].Start}, between its columns {groupChunks[i - 1].Column} and {groupChunks[i].Column}, belong to no column chunk");
            chunks.AddRange(groupChunks);
        }
        if (rows != meta.NumRows) throw Damaged(path, $"it says the file holds {meta.NumRows} rows, but its row groups hold {rows}");
        chunks.Sort((a, b) => a.Start.CompareTo(b.Start));
        if (chunks.Count > 0 && chunks[0].Start != DataStart)
            throw Damaged(path, $"the first column chunk begins at byte {chunks[0].Start}, not right after the leading magic (byte {DataStart})");
        for (int i = 1; i < chunks.Count; i++)
            if (chunks[i].Start < chunks[i - 1].End)
                throw Damaged(path, $"row group {chunks[i].Group} column {chunks[i].Column} overlaps row group {chunks[i - 1].Group} column {chunks[i - 1].Column}");
    }

    private static CliUsageException Damaged(string path, string what) => new($"--input {path}: the Parquet footer disagrees with the file: {what}; the file is damaged.");

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
