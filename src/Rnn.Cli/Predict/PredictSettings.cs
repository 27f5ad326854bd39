using RnnNative.Inference;
using RnnNative.Models;

namespace RnnNative.Cli.Predict;

/// <summary>Everything one <c>rnn predict</c> run was asked to do, checked once by <see cref="Commands.PredictCommand"/>.</summary>
internal sealed record PredictSettings
{
    public required string ModelPath { get; init; }
    public required IReadOnlyList<PredictInput> Inputs { get; init; }
    public required string OutputPath { get; init; }
    public required string ErrorsPath { get; init; }
    public string? SummaryPath { get; init; }
    public string? LabelsPath { get; init; }
    public required IRnnBackend Backend { get; init; }
    public RnnPrecision Precision { get; init; }
    public int Threads { get; init; }
    public required BatchPredictorOptions Engine { get; init; }
    public ModelKind? Kind { get; init; }
    public RnnCellKind? Mode { get; init; }
    public string? Rnn { get; init; }
    public bool StepProbabilities { get; init; }
    public bool FullOutput { get; init; }
    public required GenerationOptions Generation { get; init; }
    /// <summary>The sampling as it was asked for (name, temperature, k), for the run's identity.</summary>
    public required string SamplingDescription { get; init; }
    public int? BeginToken { get; init; }
    public int? EndToken { get; init; }
    /// <summary>More bad records than this stop the run (exit code 3); null = no limit.</summary>
    public long? MaxErrors { get; init; }
    /// <summary>A JSONL line longer than this goes to the errors file unread: one record never holds more memory than this bound implies.</summary>
    public int MaxRecordBytes { get; init; } = DefaultMaxRecordBytes;
    public const int DefaultMaxRecordBytes = 8 << 20;
    /// <summary>A Parquet input with a larger row group is refused (a row group is decoded whole).</summary>
    public int MaxRowGroupRows { get; init; } = ParquetRecordReader.DefaultMaxRowGroupRows;
    public ShardSelection Shard { get; init; } = ShardSelection.All;
    public bool Quiet { get; init; }

    public InferenceModelOptions ModelOptions(RnnExecutorOptions executor) => new()
    {
        Backend = Backend,
        Executor = executor,
        Kind = Kind,
        Mode = Mode,
        Rnn = Rnn,
        StepProbabilities = StepProbabilities,
        FullOutput = FullOutput,
        Generation = Generation,
        BeginToken = BeginToken,
        EndToken = EndToken,
    };
}
