using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnNative.Cli.Predict;

/// <summary>
/// The record of a run's committed work, kept beside its output (<c>OUT.manifest.json</c>, replaced atomically): the
/// run's identity, the window (records per chunk) and, for each committed chunk, its counts and which of its records
/// went to the errors file. A re-run with the same identity continues after the last chunk; a merge of shards reads
/// it to put records back in global order.
/// </summary>
internal sealed class PredictManifest
{
    public const int CurrentVersion = 1;

    [JsonPropertyName("version")] public int Version { get; set; } = CurrentVersion;
    [JsonPropertyName("identity")] public SortedDictionary<string, string> Identity { get; set; } = new(StringComparer.Ordinal);
    [JsonPropertyName("window")] public int Window { get; set; }
    [JsonPropertyName("shard_index")] public int ShardIndex { get; set; }
    [JsonPropertyName("num_shards")] public int NumShards { get; set; } = 1;
    /// <summary>Where this run's errors file is (not part of the identity: it does not change a result).</summary>
    [JsonPropertyName("errors_file")] public string ErrorsFile { get; set; } = "";
    [JsonPropertyName("complete")] public bool Complete { get; set; }
    [JsonPropertyName("chunks")] public List<PredictChunk> Chunks { get; set; } = [];

    [JsonIgnore] public long Records => Chunks.Sum(c => c.Records);
    [JsonIgnore] public long Errors => Chunks.Sum(c => c.Errors);

    public static string PathFor(string output) => output + ".manifest.json";

    public static PredictManifest? Load(string output)
    {
        string path = PathFor(output);
        if (!File.Exists(path)) return null;
        try
        {
            var manifest = JsonSerializer.Deserialize<PredictManifest>(File.ReadAllText(path));
            if (manifest is null || manifest.Version != CurrentVersion)
                throw new CliUsageException($"{path}: not a manifest of this version of rnn predict; delete it (and {ChunkedOutput.PartsFolderFor(output)}) to start over.");
            return manifest;
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"{path}: unreadable manifest ({e.Message}); delete it (and {ChunkedOutput.PartsFolderFor(output)}) to start over.");
        }
    }

    /// <summary>Written to a temporary file, flushed to disk, then renamed over the old one: a crash leaves the old or the new manifest, never half of one.</summary>
    public void Save(string output)
    {
        string path = PathFor(output), temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, this, Options);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };
}
