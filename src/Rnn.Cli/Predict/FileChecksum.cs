using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace RnnNative.Cli.Predict;

/// <summary>
/// A file's length and SHA-256, as the manifest records them for every committed chunk and finished output: a chunk
/// truncated, edited or swapped with another no longer matches, and is recomputed or refused instead of joined.
/// </summary>
internal sealed record FileChecksum
{
    [JsonPropertyName("bytes")] public long Bytes { get; init; }
    [JsonPropertyName("sha256")] public string Sha256 { get; init; } = "";

    public static FileChecksum Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return new FileChecksum { Bytes = stream.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(stream)) };
    }

    /// <summary>Null when <paramref name="path"/> is this file, else what differs ("missing", "1234 bytes, not 5678", "different content").</summary>
    public string? Mismatch(string path)
    {
        if (!File.Exists(path)) return "missing";
        long length = new FileInfo(path).Length;
        if (length != Bytes) return $"{length} bytes, not {Bytes}";
        return Of(path).Sha256 == Sha256 ? null : "different content (SHA-256)";
    }
}
