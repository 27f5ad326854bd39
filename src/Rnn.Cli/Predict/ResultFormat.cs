namespace RnnNative.Cli.Predict;

/// <summary>
/// An output file format, chosen by the extension of --output: how one result becomes a row, and how rows are read
/// back and written in order (chunks, the final file, merged shards). Rows are opaque to everything but the format.
/// </summary>
internal abstract class ResultFormat
{
    public abstract string Name { get; }

    /// <summary>The extension of its files, with the dot.</summary>
    public abstract string Extension { get; }

    public static ResultFormat ForOutput(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jsonl" or ".ndjson" => JsonlResultFormat.Instance,
        ".parquet" => ParquetResultFormat.Instance,
        var other => throw new CliUsageException($"--output {path}: unknown output format '{other}'; expected .jsonl or .parquet."),
    };

    /// <summary>The row of one successful result.</summary>
    public abstract object ToRow(Inference.PredictionResult result, OutputShape shape);

    public abstract IEnumerable<object> ReadRows(string path);

    /// <summary>The rows in a file this format wrote, without decoding them.</summary>
    public abstract long CountRows(string path);

    /// <summary>
    /// A writer of <paramref name="target"/> for rows like those in <paramref name="sources"/> (the files the rows
    /// will come from; none when they come from results); <paramref name="shape"/> describes rows made from results.
    /// </summary>
    public abstract IResultRowWriter CreateWriter(string target, IReadOnlyList<string> sources, OutputShape? shape, int rowGroupSize);

    /// <summary>Writes the rows of <paramref name="sources"/>, in order, into <paramref name="target"/>.</summary>
    public void Concatenate(IReadOnlyList<string> sources, string target, OutputShape? shape, int rowGroupSize)
    {
        using var writer = CreateWriter(target, sources, shape, rowGroupSize);
        foreach (var source in sources)
            foreach (var row in ReadRows(source)) writer.Add(row);
        writer.Complete();
    }
}

/// <summary>Writes rows into one file; <see cref="Complete"/> flushes it to disk (a writer disposed without it leaves a partial file).</summary>
internal interface IResultRowWriter : IDisposable
{
    void Add(object row);

    void Complete();
}
