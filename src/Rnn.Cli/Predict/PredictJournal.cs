using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnNative.Cli.Predict;

/// <summary>
/// The commits of a run in progress, appended one line per chunk (<c>OUT.parts/journal.jsonl</c>: the chunk's index
/// and its <see cref="PredictChunk"/>, lengths and SHA-256s included), each line flushed to disk before the commit
/// counts. Rewriting the whole manifest at every commit made a run of N chunks write O(N²) bytes; a commit here writes
/// one line, whatever came before it. The lines are folded into the manifest when a run opens, stops or finishes.
/// A line cut short by a crash never finished its commit: it is ignored, and since a run that opens folds the journal
/// into the manifest and then empties it, nothing is ever appended after a torn line.
/// </summary>
internal sealed class PredictJournal(string path)
{
    public const string FileName = "journal.jsonl";

    public string Path { get; } = path;

    /// <summary>Bytes appended since this journal was opened (what a commit costs in manifest writes).</summary>
    public long BytesWritten { get; private set; }

    private sealed class Entry
    {
        [JsonPropertyName("index")] public int Index { get; set; }
        [JsonPropertyName("chunk")] public PredictChunk? Chunk { get; set; }
    }

    /// <summary>
    /// The chunks committed after the first <paramref name="known"/> (those the manifest already lists), in order; a
    /// torn last line is passed over. Reading stops at the first line that is not the next chunk (a gap, a damaged line,
    /// a line missing a field): the chunks from there on are not known to be committed, so they are computed again.
    /// </summary>
    public List<PredictChunk> ReadAfter(int known)
    {
        var chunks = new List<PredictChunk>();
        if (!File.Exists(Path)) return chunks;
        byte[] bytes = File.ReadAllBytes(Path);
        int start = 0;
        while (start < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0) break; // a line a crash cut short: its commit never finished
            var entry = Parse(bytes.AsSpan(start, end - start));
            start = end + 1;
            if (entry is null) break;
            if (entry.Index < known + chunks.Count) continue; // already folded into the manifest
            if (entry.Index != known + chunks.Count) break;
            chunks.Add(entry.Chunk!);
        }
        return chunks;
    }

    private static Entry? Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<Entry>(line);
            var chunk = entry?.Chunk;
            bool whole = chunk is { ErrorPositions: not null, File.Sha256: not null, ErrorsFile.Sha256: not null };
            return whole ? entry : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Appends chunk <paramref name="index"/> and flushes it to disk: from here it is committed.</summary>
    public void Append(int index, PredictChunk chunk)
    {
        byte[] line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Entry { Index = index, Chunk = chunk }) + "\n");
        using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.None, 1);
        file.Write(line);
        file.Flush(flushToDisk: true);
        BytesWritten += line.Length;
    }

    /// <summary>Once the manifest lists every chunk: the lines are no longer needed.</summary>
    public void Clear()
    {
        if (File.Exists(Path)) File.Delete(Path);
    }
}
