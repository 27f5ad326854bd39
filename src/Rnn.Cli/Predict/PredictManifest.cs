using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnNative.Cli.Predict;

/// <summary>
/// The record of a run's committed work, kept beside its output (<c>OUT.manifest.json</c>, replaced atomically): the
/// run's identity, the window (records per chunk) and, for each committed chunk, its counts and which of its records
/// went to the errors file. While a run goes on, the chunks it commits are appended to its <see cref="PredictJournal"/>
/// and folded in here when a run opens, stops or finishes. A re-run with the same identity continues after the last chunk; a merge of shards reads
/// it to put records back in global order.
/// </summary>
internal sealed class PredictManifest
{
    public const int CurrentVersion = 2;

    [JsonPropertyName("version")] public int Version { get; set; } = CurrentVersion;
    [JsonPropertyName("identity")] public SortedDictionary<string, string> Identity { get; set; } = new(StringComparer.Ordinal);
    [JsonPropertyName("window")] public int Window { get; set; }
    [JsonPropertyName("shard_index")] public int ShardIndex { get; set; }
    [JsonPropertyName("num_shards")] public int NumShards { get; set; } = 1;
    /// <summary>
    /// Where this run's errors file is, relative to the output's folder, so shards moved together with their errors
    /// files still merge (not part of the identity: it does not change a result).
    /// </summary>
    [JsonPropertyName("errors_file")] public string ErrorsFile { get; set; } = "";
    [JsonPropertyName("complete")] public bool Complete { get; set; }
    [JsonPropertyName("chunks")] public List<PredictChunk> Chunks { get; set; } = [];
    /// <summary>Once complete: the joined output and errors file as written, verified before a re-run calls them done and by merge.</summary>
    [JsonPropertyName("output")] public FileChecksum? Output { get; set; }
    [JsonPropertyName("errors")] public FileChecksum? ErrorsOutput { get; set; }

    [JsonIgnore] public long Records => Chunks.Sum(c => c.Records);
    [JsonIgnore] public long Errors => Chunks.Sum(c => c.Errors);

    public static string PathFor(string output) => output + ".manifest.json";

    /// <summary>The errors file of the run whose output is <paramref name="output"/>, found from where the output is now.</summary>
    public string ErrorsFileOf(string output) => Path.GetFullPath(ErrorsFile, FolderOf(output));

    public void SetErrorsFile(string output, string errors) => ErrorsFile = Path.GetRelativePath(FolderOf(output), Path.GetFullPath(errors));

    private static string FolderOf(string output) => Path.GetDirectoryName(Path.GetFullPath(output))!;

    public static PredictManifest? Load(string output)
    {
        string path = PathFor(output);
        if (!File.Exists(path)) return null;
        try
        {
            var manifest = JsonSerializer.Deserialize<PredictManifest>(File.ReadAllText(path));
            if (manifest is null || manifest.Version != CurrentVersion)
                throw new CliUsageException($"{path}: not a manifest of this version of rnn predict; delete it (and {ChunkedOutput.PartsFolderFor(output)}) to start over.");
            if (manifest.Missing() is { } missing)
                throw new CliUsageException($"{path}: damaged manifest ({missing} is missing or null); delete it (and {ChunkedOutput.PartsFolderFor(output)}) to start over.");
            return manifest;
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"{path}: unreadable manifest ({e.Message}); delete it (and {ChunkedOutput.PartsFolderFor(output)}) to start over.");
        }
    }

    /// <summary>The first field a damaged or hand-edited manifest lacks, or null when every field is there.</summary>
    private string? Missing()
    {
        if (Identity is null) return "identity";
        if (ErrorsFile is null) return "errors_file";
        if (Chunks is null) return "chunks";
        for (int i = 0; i < Chunks.Count; i++)
        {
            var chunk = Chunks[i];
            if (chunk is null) return $"chunks[{i}]";
            if (chunk.ErrorPositions is null) return $"chunks[{i}].error_positions";
            if (chunk.File is null || chunk.File.Sha256 is null) return $"chunks[{i}].file";
            if (chunk.ErrorsFile is null || chunk.ErrorsFile.Sha256 is null) return $"chunks[{i}].errors_file";
        }
        if (Complete && (Output?.Sha256 is null || ErrorsOutput?.Sha256 is null)) return "output";
        return null;
    }

    /// <summary>
    /// Why chunk <paramref name="index"/>'s numbers cannot be those of a committed chunk (every chunk but the last holds
    /// a whole window; its errors are distinct positions inside it), or null when they can.
    /// </summary>
    public string? Inconsistency(int index)
    {
        var chunk = Chunks[index];
        bool last = index == Chunks.Count - 1;
        if (chunk.Records < 0 || chunk.Records > Window || (!last && chunk.Records != Window))
            return $"{chunk.Records} records in a chunk of a window of {Window}";
        if (chunk.Errors != chunk.ErrorPositions.Count) return $"{chunk.Errors} errors but {chunk.ErrorPositions.Count} error positions";
        for (int i = 0; i < chunk.ErrorPositions.Count; i++)
            if (chunk.ErrorPositions[i] < 0 || chunk.ErrorPositions[i] >= chunk.Records || (i > 0 && chunk.ErrorPositions[i] <= chunk.ErrorPositions[i - 1]))
                return $"error position {chunk.ErrorPositions[i]} out of order or outside the chunk";
        return null;
    }

    /// <summary>
    /// Written to a temporary file, flushed to disk, then renamed over the old one: a crash leaves the old or the new
    /// manifest, never half of one. Returns the bytes written. Not once per commit (<see cref="PredictJournal"/>): it
    /// writes every chunk's entry.
    /// </summary>
    public long Save(string output)
    {
        string path = PathFor(output), temporary = path + ".tmp";
        long bytes;
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, this, Options);
            stream.Flush(flushToDisk: true);
            bytes = stream.Length;
        }
        File.Move(temporary, path, overwrite: true);
        return bytes;
    }

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };
}
