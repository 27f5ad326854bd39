namespace RnnNative.Cli.Predict;

/// <summary>How an input file holds its records.</summary>
internal enum PredictInputFormat
{
    Jsonl,
    Parquet,
}
