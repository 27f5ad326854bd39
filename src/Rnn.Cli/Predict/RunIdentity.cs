using System.Globalization;
using System.Security.Cryptography;

namespace RnnNative.Cli.Predict;

/// <summary>
/// What makes two <c>rnn predict</c> runs the same computation: the model's content (size and SHA-256), the inputs
/// (path, size, modification time), and every option that changes which records go where or what they become
/// (backend, precision, threads, window and batching, limits, the model's kind and mode, outputs asked for, the
/// generator's sampling, the label names, the shard). Workers, progress and file names for errors and the summary
/// are not part of it: they never change a result.
/// </summary>
internal static class RunIdentity
{
    public static SortedDictionary<string, string> Of(PredictSettings s, ResultFormat format)
    {
        var engine = s.Engine;
        var identity = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["model"] = Describe(s.ModelPath, hash: true),
            ["inputs"] = string.Join(" | ", s.Inputs.Select(i => i.IsStandardInput ? "-" : Describe(i.Path, hash: false))),
            ["format"] = format.Name,
            ["backend"] = s.Backend.Name,
            ["precision"] = s.Precision.ToString().ToLowerInvariant(),
            ["threads"] = Text(s.Threads),
            ["window"] = Text(engine.Window),
            ["max_batch_tokens"] = Text(engine.MaxBatchTokens),
            ["max_batch_size"] = Text(engine.MaxBatchSize),
            ["bucketing"] = engine.Bucketing ? "on" : "off",
            ["min_batch_efficiency"] = engine.MinBatchPaddingEfficiency.ToString("R", CultureInfo.InvariantCulture),
            ["max_record_bytes"] = Text(s.MaxRecordBytes),
            ["max_length"] = engine.MaxLength is { } max ? Text(max) : "none",
            ["kind"] = s.Kind?.ToString() ?? "from model",
            ["mode"] = s.Mode?.ToString() ?? "from model",
            ["probabilities"] = s.StepProbabilities ? "yes" : "no",
            ["full_output"] = s.FullOutput ? "yes" : "no",
            ["generation"] = $"max-new-tokens {s.Generation.MaxNewTokens}, {s.SamplingDescription}, seed {s.Generation.Seed}, begin {s.BeginToken?.ToString(CultureInfo.InvariantCulture) ?? "-"}, end {s.EndToken?.ToString(CultureInfo.InvariantCulture) ?? "-"}",
            ["labels"] = s.LabelsPath is null ? "none" : Describe(s.LabelsPath, hash: true),
            ["shard"] = $"{s.Shard.Index} of {s.Shard.Count}",
        };
        return identity;
    }

    /// <summary>The keys whose values differ ("model, window"), or null when the identities match.</summary>
    public static string? Differences(IReadOnlyDictionary<string, string> recorded, IReadOnlyDictionary<string, string> current)
    {
        var keys = recorded.Keys.Union(current.Keys).Order(StringComparer.Ordinal)
            .Where(k => recorded.GetValueOrDefault(k) != current.GetValueOrDefault(k)).ToList();
        return keys.Count == 0 ? null : string.Join(", ", keys);
    }

    private static string Describe(string path, bool hash)
    {
        var info = new FileInfo(path);
        string full = info.FullName;
        if (!hash) return $"{full} ({info.Length} bytes, modified {info.LastWriteTimeUtc.Ticks})";
        using var stream = info.OpenRead();
        return $"{info.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(stream))}";
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
