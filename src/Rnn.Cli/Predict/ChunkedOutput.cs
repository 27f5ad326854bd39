using RnnNative.Inference;

namespace RnnNative.Cli.Predict;

/// <summary>
/// Crash-safe output: results are written chunk by chunk into <c>OUT.parts/</c> (each chunk to a temporary name,
/// flushed to disk, then renamed) and count as committed once their line in the <see cref="PredictJournal"/> is on
/// disk (folded into the <see cref="PredictManifest"/> when a run opens, stops or finishes); at the end the
/// chunks are joined into <c>OUT.tmp</c>, which is renamed to OUT, and the errors file is made the same way. A run
/// killed at any moment leaves committed chunks that a re-run of the same command continues after; a chunk is one
/// engine window, so the continued run forms the same windows and batches and writes the same bytes.
/// </summary>
internal sealed class ChunkedOutput
{
    private readonly string _output, _errors, _parts;
    private readonly ResultFormat _format;
    private readonly PredictJournal _journal;
    private long _manifestBytes;

    private ChunkedOutput(string output, string errors, ResultFormat format, PredictManifest manifest, bool alreadyComplete, List<string> repairs)
    {
        _output = output;
        _errors = errors;
        _format = format;
        _parts = PartsFolderFor(output);
        _journal = new PredictJournal(Path.Combine(_parts, PredictJournal.FileName));
        Manifest = manifest;
        AlreadyComplete = alreadyComplete;
        Repairs = repairs;
    }

    public PredictManifest Manifest { get; }

    /// <summary>The same run finished before and its output is in place: there is nothing to do.</summary>
    public bool AlreadyComplete { get; }

    /// <summary>What was found damaged and will be computed again, one line each, for the operator.</summary>
    public List<string> Repairs { get; }

    /// <summary>Bytes written to the manifest and its journal since the output was opened: a commit adds the same few hundred, however many came before it.</summary>
    public long ManifestBytesWritten => _manifestBytes + _journal.BytesWritten;

    public static string PartsFolderFor(string output) => output + ".parts";

    public static ChunkedOutput Open(string output, string errors, ResultFormat format, SortedDictionary<string, string> identity, int window, ShardSelection shard)
    {
        string parts = PartsFolderFor(output);
        var manifest = PredictManifest.Load(output);
        var repairs = new List<string>();
        string? differences = manifest is null ? null : RunIdentity.Differences(manifest.Identity, identity);
        // Unfinished work of another command is never resumed into this one, nor silently thrown away.
        if (manifest is { Complete: false } && differences is not null)
            throw new CliUsageException($"{PredictManifest.PathFor(output)} holds an unfinished run of a different command ({differences} differ); " +
                $"re-run that command to finish it, delete the manifest and {parts} to start over, or write to another --output.");
        if (manifest is not null && differences is null && manifest.Window != window)
            throw new CliUsageException($"{PredictManifest.PathFor(output)}: damaged manifest (window {manifest.Window}, but its identity says {window}); delete it (and {parts}) to start over.");
        if (manifest is { Complete: true } && differences is null && File.Exists(output))
        {
            // "Already complete" only for an output and errors file that are still exactly what the run wrote.
            string? damage = manifest.Output!.Mismatch(output) is { } o ? $"{output}: {o}"
                : manifest.ErrorsOutput!.Mismatch(errors) is { } e ? $"{errors}: {e}" : null;
            if (damage is null) return new ChunkedOutput(output, errors, format, manifest, alreadyComplete: true, repairs);
            repairs.Add($"{damage}, not what this command wrote; running it again.");
        }
        if (manifest is null || manifest.Complete)
        {
            if (Directory.Exists(parts)) Directory.Delete(parts, recursive: true);
            manifest = new PredictManifest { Identity = identity, Window = window, ShardIndex = shard.Index, NumShards = shard.Count };
        }
        manifest.SetErrorsFile(output, errors);
        Directory.CreateDirectory(parts);
        // Whatever a killed run was writing when it died was never committed.
        foreach (var temporary in Directory.GetFiles(parts, "*.tmp").Append(output + ".tmp").Append(errors + ".tmp")) File.Delete(temporary);
        var opened = new ChunkedOutput(output, errors, format, manifest, alreadyComplete: false, repairs);
        // The chunks a killed run committed after the manifest was last written.
        manifest.Chunks.AddRange(opened._journal.ReadAfter(manifest.Chunks.Count));
        opened.DropDamagedChunks();
        opened.SaveManifest();
        return opened;
    }

    /// <summary>
    /// Every committed chunk is checked against the manifest (its numbers, its files' lengths and checksums, its rows);
    /// from the first that does not match, the chunks are dropped and computed again: a truncated, edited or swapped
    /// chunk is never joined into the output.
    /// </summary>
    private void DropDamagedChunks()
    {
        for (int i = 0; i < Manifest.Chunks.Count; i++)
        {
            var chunk = Manifest.Chunks[i];
            string? damage = Manifest.Inconsistency(i)
                ?? (chunk.File!.Mismatch(ChunkPath(i)) is { } f ? $"{Path.GetFileName(ChunkPath(i))}: {f}" : null)
                ?? (chunk.ErrorsFile!.Mismatch(ErrorsPath(i)) is { } e ? $"{Path.GetFileName(ErrorsPath(i))}: {e}" : null)
                ?? (_format.CountRows(ChunkPath(i)) is var rows && rows != chunk.Records - chunk.Errors ? $"{rows} rows, not {chunk.Records - chunk.Errors}" : null);
            if (damage is null) continue;
            Repairs.Add($"committed chunk {i} of {_output} does not match its manifest ({damage}); computing it and the {Manifest.Chunks.Count - i - 1} after it again.");
            Manifest.Chunks.RemoveRange(i, Manifest.Chunks.Count - i);
            return;
        }
    }

    public Chunk BeginChunk(OutputShape shape)
    {
        int index = Manifest.Chunks.Count;
        string path = ChunkPath(index) + ".tmp";
        return new Chunk(index, path, _format.CreateWriter(path, [], shape, int.MaxValue), _format, shape);
    }

    /// <summary>The chunk's files become final, then the manifest lists it: from here a re-run skips its records.</summary>
    /// <remarks>
    /// <paramref name="seconds"/> is asked for once the chunk's files are final, just before its journal line: the
    /// wall time since the previous commit (the chunk's share of the run, its commit included).
    /// </remarks>
    public void Commit(Chunk chunk, PredictionStatistics statistics, Func<double> seconds)
    {
        chunk.Writer.Complete();
        chunk.Writer.Dispose();
        var file = FileChecksum.Of(chunk.TemporaryPath);
        File.Move(chunk.TemporaryPath, ChunkPath(chunk.Index), overwrite: true);
        string errors = ErrorsPath(chunk.Index);
        WriteLines(errors + ".tmp", chunk.ErrorLines);
        var errorsFile = FileChecksum.Of(errors + ".tmp");
        File.Move(errors + ".tmp", errors, overwrite: true);
        var summary = chunk.Summary(statistics, seconds());
        summary.File = file;
        summary.ErrorsFile = errorsFile;
        _journal.Append(chunk.Index, summary);
        Manifest.Chunks.Add(summary);
    }

    /// <summary>
    /// The manifest with every committed chunk, then the journal emptied. A crash in between leaves journal lines the
    /// manifest already lists: they are passed over by index, and every chunk is verified on open whichever file
    /// listed it.
    /// </summary>
    private void SaveManifest()
    {
        _manifestBytes += Manifest.Save(_output);
        _journal.Clear();
    }

    /// <summary>Joins the committed chunks into the output and the errors file, each by one atomic rename, and drops the parts.</summary>
    public void Finish(OutputShape shape)
    {
        var chunks = Enumerable.Range(0, Manifest.Chunks.Count).ToList();
        foreach (int i in chunks)
            if ((Manifest.Chunks[i].File!.Mismatch(ChunkPath(i)) ?? Manifest.Chunks[i].ErrorsFile!.Mismatch(ErrorsPath(i))) is { } damage)
                throw new IOException($"committed chunk {i} of {_output} changed during the run ({damage}); nothing was joined. Run the same command again: it computes that chunk again.");
        string temporary = _output + ".tmp";
        try
        {
            _format.Concatenate(chunks.Select(ChunkPath).ToList(), temporary, shape, Manifest.Window);
        }
        catch
        {
            // A join that failed for space must not keep the space it took: the next run would fail the same way.
            File.Delete(temporary);
            throw;
        }
        Manifest.Output = FileChecksum.Of(temporary);
        File.Move(temporary, _output, overwrite: true);
        Manifest.ErrorsOutput = JoinErrors(chunks.Select(ErrorsPath), []);
        Manifest.Complete = true;
        SaveManifest();
        Directory.Delete(_parts, recursive: true);
    }

    /// <summary>
    /// When the run stops early: the errors file from the committed chunks and the errors of the chunk in progress,
    /// and the manifest listing every committed chunk.
    /// </summary>
    public void WriteErrorsSoFar(IEnumerable<string> pending)
    {
        JoinErrors(Enumerable.Range(0, Manifest.Chunks.Count).Select(ErrorsPath), pending);
        SaveManifest();
    }

    private FileChecksum JoinErrors(IEnumerable<string> parts, IEnumerable<string> pending)
    {
        string temporary = _errors + ".tmp";
        try
        {
            WriteLines(temporary, parts.SelectMany(File.ReadLines).Concat(pending));
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        var checksum = FileChecksum.Of(temporary);
        File.Move(temporary, _errors, overwrite: true);
        return checksum;
    }

    private static void WriteLines(string path, IEnumerable<string> lines)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" })
            foreach (var line in lines) writer.Write(line + "\n");
        stream.Flush(flushToDisk: true);
    }

    private string ChunkPath(int index) => Path.Combine(_parts, $"chunk-{index:D6}{_format.Extension}");

    private string ErrorsPath(int index) => Path.Combine(_parts, $"chunk-{index:D6}.errors.jsonl");

    /// <summary>The chunk being written: its rows go straight to its temporary file; its errors wait for the commit.</summary>
    public sealed class Chunk(int index, string temporaryPath, IResultRowWriter writer, ResultFormat format, OutputShape shape)
    {
        private readonly List<int> _errorPositions = [];
        private long _tokens, _labelled, _correct;
        private long _usefulBefore, _computedBefore;

        public int Index { get; } = index;
        public string TemporaryPath { get; } = temporaryPath;
        public IResultRowWriter Writer { get; } = writer;
        public List<string> ErrorLines { get; } = [];
        public int Records { get; private set; }

        /// <summary>With standard input among the inputs: the SHA-256 of the lines up to this chunk's last record.</summary>
        public string? InputPrefix { get; set; }

        public void Add(PredictionResult result, string? errorLine)
        {
            if (errorLine is not null)
            {
                _errorPositions.Add(Records);
                ErrorLines.Add(errorLine);
            }
            else
            {
                Writer.Add(format.ToRow(result, shape));
                _tokens += result.Record.Length;
                if (result.Probabilities is not null && result.Record.ExpectedLabel is { } expected)
                {
                    _labelled++;
                    if (result.Label == expected) _correct++;
                }
            }
            Records++;
        }

        /// <summary>The engine's counters when this chunk began, so the chunk's own steps are the difference at its end.</summary>
        public void Start(PredictionStatistics statistics)
        {
            _usefulBefore = statistics.UsefulSteps;
            _computedBefore = statistics.ComputedSteps;
        }

        public PredictChunk Summary(PredictionStatistics statistics, double seconds) => new()
        {
            Records = Records,
            Errors = _errorPositions.Count,
            ErrorPositions = [.. _errorPositions],
            Tokens = _tokens,
            Labelled = _labelled,
            Correct = _correct,
            UsefulSteps = statistics.UsefulSteps - _usefulBefore,
            ComputedSteps = statistics.ComputedSteps - _computedBefore,
            Seconds = seconds,
            InputPrefix = InputPrefix,
        };
    }
}
