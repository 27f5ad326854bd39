using System.Runtime.CompilerServices;
using System.Text;
using RnnNative.Inference;

namespace RnnNative.Cli.Predict;

/// <summary>
/// The records of every input, in order, as one stream: each non-blank JSONL line or Parquet row is one record with
/// the next ordinal; only this shard's ordinals are kept, and the first <c>skip</c> of those (already committed by an
/// earlier run) are passed over without being parsed.
/// </summary>
internal sealed class RecordStream(IReadOnlyList<PredictInput> inputs, ShardSelection shard, long skip, Stream standardInput, int maxRecordBytes)
{
    private readonly ConditionalWeakTable<PredictionRecord, string> _sources = new();

    /// <summary>The input a record without an id came from, when there are several (its line number alone is ambiguous).</summary>
    public string? SourceOf(PredictionRecord record) => _sources.TryGetValue(record, out var path) ? path : null;

    private PredictionRecord Remember(PredictionRecord record, PredictInput input)
    {
        if (inputs.Count > 1 && record.Id is null) _sources.AddOrUpdate(record, input.Path);
        return record;
    }

    /// <summary>This shard's records in all inputs, or null when an input's size cannot be known (standard input).</summary>
    public static async Task<long?> CountAsync(IReadOnlyList<PredictInput> inputs, ShardSelection shard)
    {
        long total = 0;
        foreach (var input in inputs)
        {
            if (input.IsStandardInput) return null;
            total += input.Format == PredictInputFormat.Parquet ? await ParquetRecordReader.CountAsync(input.Path).ConfigureAwait(false) : CountLines(input.Path);
        }
        return shard.CountOf(total);
    }

    public async IAsyncEnumerable<PredictionRecord> ReadAsync([EnumeratorCancellation] CancellationToken token = default)
    {
        long ordinal = -1, selected = 0;
        foreach (var input in inputs)
        {
            if (input.Format == PredictInputFormat.Parquet)
            {
                await foreach (var (row, read) in ParquetRecordReader.ReadAsync(input.Path).WithCancellation(token).ConfigureAwait(false))
                {
                    if (!shard.Includes(++ordinal) || selected++ < skip) continue;
                    yield return Remember(Unreadable(read, row), input);
                }
                continue;
            }
            await using var file = input.IsStandardInput ? null : new FileStream(input.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            await foreach (var line in new JsonlLines(file ?? standardInput, maxRecordBytes).ReadAsync(token).ConfigureAwait(false))
            {
                if (!shard.Includes(++ordinal) || selected++ < skip) continue;
                yield return Remember(Parse(line), input);
            }
        }
    }

    private PredictionRecord Parse(JsonlLines.Line line)
    {
        if (line.IsOverBound)
            return PredictionRecord.Rejected($"the record is {line.Length} bytes, over --max-record-bytes {maxRecordBytes}", line: line.Number);
        return Unreadable(() => JsonlRecordParser.Parse(line.Bytes, line.Number), line.Number);
    }

    /// <summary>A record the reader could not take becomes a bad record in its place, so one record never stops a run.</summary>
    private static PredictionRecord Unreadable(Func<PredictionRecord> read, long line)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            return PredictionRecord.Rejected($"unreadable record ({e.GetType().Name}: {e.Message})", line: line);
        }
    }

    /// <summary>Non-blank lines, counted by scanning bytes (cheap next to parsing them).</summary>
    private static long CountLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        long lines = 0;
        bool content = false;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            foreach (byte b in buffer.AsSpan(0, read))
            {
                if (b == (byte)'\n')
                {
                    if (content) lines++;
                    content = false;
                }
                else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r')) content = true;
            }
        }
        return content ? lines + 1 : lines;
    }
}
