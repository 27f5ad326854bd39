using System.Text.Json.Serialization;

namespace RnnNative.Cli.Predict;

/// <summary>One committed chunk: one engine window of records.</summary>
internal sealed class PredictChunk
{
    [JsonPropertyName("records")] public long Records { get; set; }
    [JsonPropertyName("errors")] public long Errors { get; set; }
    /// <summary>Positions inside the chunk (from 0) of the records that went to the errors file.</summary>
    [JsonPropertyName("error_positions")] public List<int> ErrorPositions { get; set; } = [];
    [JsonPropertyName("tokens")] public long Tokens { get; set; }
    [JsonPropertyName("useful_steps")] public long UsefulSteps { get; set; }
    [JsonPropertyName("computed_steps")] public long ComputedSteps { get; set; }
    /// <summary>Classifier records whose input carried an integer label, and how many of them were predicted right.</summary>
    [JsonPropertyName("labelled")] public long Labelled { get; set; }
    [JsonPropertyName("correct")] public long Correct { get; set; }
    /// <summary>Wall time from the previous commit (or the run's start) to this chunk's, its own commit included.</summary>
    [JsonPropertyName("seconds")] public double Seconds { get; set; }
    /// <summary>With standard input among the inputs: the SHA-256 of the input lines up to this chunk's last record, checked when a run resumes after it.</summary>
    [JsonPropertyName("input_sha256")] public string? InputPrefix { get; set; }
    /// <summary>The chunk's results file and errors file as committed.</summary>
    [JsonPropertyName("file")] public FileChecksum? File { get; set; }
    [JsonPropertyName("errors_file")] public FileChecksum? ErrorsFile { get; set; }
}
