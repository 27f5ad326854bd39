using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using RnnNative.Inference;

namespace RnnNative.Cli.Predict;

/// <summary>
/// The records of every input, in order, as one stream: each non-blank JSONL line or Parquet row is one record with
/// the next ordinal; only this shard's ordinals are kept, and the first <c>skip</c> of those (already committed by an
/// earlier run) are passed over without being parsed. Standard input cannot be identified by its size and date like a
/// file, so when it is an input the JSONL lines are hashed as they are read: each record carries the SHA-256 of the
/// lines up to it, a committed chunk records its last record's, and a resumed run checks the lines it skips against it.
/// </summary>
internal sealed class RecordStream(IReadOnlyList<PredictInput> inputs, ShardSelection shard, long skip, Stream standardInput, int maxRecordBytes,
    string? skippedPrefix = null, int maxRowGroupRows = ParquetRecordReader.DefaultMaxRowGroupRows)
{
    private readonly ConditionalWeakTable<PredictionRecord, string> _sources = new();
    private readonly ConditionalWeakTable<PredictionRecord, string> _prefixes = new();
    private readonly IncrementalHash? _prefix = inputs.Any(i => i.IsStandardInput) ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    // A file the counting pass found to be a pipe: opened once, so the records it holds are read, not lost to the count.
    private readonly Dictionary<string, Stream> _held = [];

    /// <summary>The input a record without an id came from, when there are several (its line number alone is ambiguous).</summary>
    public string? SourceOf(PredictionRecord record) => _sources.TryGetValue(record, out var path) ? path : null;

    /// <summary>The SHA-256 of the JSONL lines up to and including this record's, when standard input is an input; else null.</summary>
    public string? PrefixOf(PredictionRecord record) => _prefixes.TryGetValue(record, out var prefix) ? prefix : null;

    private PredictionRecord Remember(PredictionRecord record, PredictInput input)
    {
        if (inputs.Count > 1 && record.Id is null) _sources.AddOrUpdate(record, input.Path);
        if (_prefix is not null) _prefixes.AddOrUpdate(record, CurrentPrefix());
        return record;
    }

    private string CurrentPrefix() => Convert.ToHexStringLower(_prefix!.GetCurrentHash());

    /// <summary>
    /// This shard's records in all inputs, or null when an input's size cannot be known: standard input, or a file that
    /// is a pipe (reading it to count would leave nothing to predict).
    /// </summary>
    public async Task<long?> CountAsync()
    {
        long total = 0;
        foreach (var input in inputs)
        {
            if (input.IsStandardInput) return null;
            if (input.Format == PredictInputFormat.Parquet)
            {
                total += await ParquetRecordReader.CountAsync(input.Path).ConfigureAwait(false);
                continue;
            }
            var stream = Open(input.Path);
            if (!stream.CanSeek)
            {
                _held[input.Path] = stream;
                return null;
            }
            using (stream) total += CountLines(stream);
        }
        return shard.CountOf(total);
    }

    private static FileStream Open(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);

    public async IAsyncEnumerable<PredictionRecord> ReadAsync([EnumeratorCancellation] CancellationToken token = default)
    {
        long ordinal = -1, selected = 0;
        foreach (var input in inputs)
        {
            if (input.Format == PredictInputFormat.Parquet)
            {
                await foreach (var (row, read) in ParquetRecordReader.ReadAsync(input.Path, maxRowGroupRows).WithCancellation(token).ConfigureAwait(false))
                {
                    if (!shard.Includes(++ordinal) || selected++ < skip) continue;
                    yield return Remember(Unreadable(read, row), input);
                }
                continue;
            }
            await using var file = input.IsStandardInput ? null : _held.Remove(input.Path, out var held) ? held : Open(input.Path);
            await foreach (var line in new JsonlLines(file ?? standardInput, maxRecordBytes).ReadAsync(token).ConfigureAwait(false))
            {
                if (_prefix is not null)
                {
                    if (line.IsOverBound) _prefix.AppendData(Encoding.ASCII.GetBytes($"over the bound: {line.Length} bytes"));
                    else _prefix.AppendData(line.Bytes.Span);
                    _prefix.AppendData("\n"u8);
                }
                if (!shard.Includes(++ordinal)) continue;
                if (selected++ < skip)
                {
                    if (selected == skip) CheckSkippedPrefix();
                    continue;
                }
                yield return Remember(Parse(line), input);
            }
        }
        if (selected < skip && skippedPrefix is not null)
            throw new CliUsageException($"the input holds {selected} records of this shard, fewer than the {skip} the committed chunks hold; it is not the input they were computed from.");
    }

    private void CheckSkippedPrefix()
    {
        if (skippedPrefix is not null && _prefix is not null && CurrentPrefix() != skippedPrefix)
            throw new CliUsageException($"standard input is not the input the committed chunks were computed from (its first {skip} records differ); " +
                "give the same records again, or delete the manifest and parts folder to start over.");
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
    private static long CountLines(Stream stream)
    {
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
