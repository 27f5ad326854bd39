using RnnNative.Models;

namespace RnnNative.Inference;

/// <summary>
/// A whole model loaded for inference: a checkpoint, a plain PyTorch state_dict, a bare RNN layer, a calibrated int8
/// model or a converted ONNX model, all safetensors files. Load it once and call <see cref="Predict(int[])"/> for one
/// sequence or <see cref="Predict(IReadOnlyList{PredictionRecord})"/> for a batch:
/// <code>
/// using var model = InferenceModel.Load("sentiment.safetensors", new() { Kind = ModelKind.Classifier });
/// var result = model.Predict([12, 7, 431, 9]);
/// Console.WriteLine($"label {result.Label}, p = {result.Probabilities![result.Label]:F3}");
/// </code>
/// <para>
/// Thread safety: every Predict call may run on any thread at the same time as others on the same model; the weights
/// are shared read-only and each call uses its own buffers. Each call runs on
/// <see cref="RnnExecutorOptions.Threads"/> CPU threads (<see cref="InferenceModelOptions.Executor"/>), so keep
/// concurrent callers × threads ≤ cores; a service answering one request at a time per core does best with Threads = 1.
/// </para>
/// </summary>
public abstract class InferenceModel : IDisposable
{
    /// <summary>
    /// Loads a model file. Options say what a plain state_dict cannot (classifier, tagger or generator; the RNN's
    /// mode) and how to run it (backend, precision, threads).
    /// </summary>
    public static InferenceModel Load(string path, InferenceModelOptions? options = null) => InferenceModelLoader.Load(path, options);

    /// <summary>
    /// Scores one sequence of token ids (models with an embedding or one-hot input): a classifier's label,
    /// probabilities and logits; a tagger's label per step; a generator's continuation.
    /// </summary>
    /// <exception cref="ArgumentException">A token id outside the vocabulary (named with its step), an empty sequence, or a model that reads features.</exception>
    public PredictionResult Predict(int[] tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return Predict([PredictionRecord.FromTokens(RecordId.FromInteger(0), tokens)], nameof(tokens))[0];
    }

    /// <summary>
    /// Runs a bare RNN layer over one sequence of <paramref name="steps"/> feature rows (row-major, each the layer's
    /// input width): the final hidden state and, with <see cref="InferenceModelOptions.FullOutput"/>, every step's output.
    /// </summary>
    public PredictionResult Predict(float[] features, int steps)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Predict([PredictionRecord.FromFeatures(RecordId.FromInteger(0), features, steps)], nameof(features))[0];
    }

    /// <summary>
    /// Scores a batch in one pass, results in the order of <paramref name="records"/>. Every record is checked first;
    /// one that cannot be scored fails the call with an <see cref="ArgumentException"/> naming its index and id.
    /// </summary>
    public IReadOnlyList<PredictionResult> Predict(IReadOnlyList<PredictionRecord> records) => Predict(records, nameof(records));

    private PredictionResult[] Predict(IReadOnlyList<PredictionRecord> records, string argument)
    {
        ArgumentNullException.ThrowIfNull(records, argument);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (records.Count == 0) return [];
        for (int i = 0; i < records.Count; i++)
        {
            var record = records[i] ?? throw new ArgumentException($"record {i} is null.", argument);
            string? reason = record.Rejection ?? Check(record);
            if (reason is not null)
                throw new ArgumentException(records.Count == 1 && argument != nameof(records)
                    ? $"The sequence cannot be scored: {reason}."
                    : $"Record {i} (id {record.Id?.ToString() ?? "none"}) cannot be scored: {reason}.", argument);
        }
        return Run(records, new PredictionStatistics());
    }

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed { get; private set; }

    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        Release();
    }

    /// <summary>Releases the model's executors; runs once.</summary>
    private protected abstract void Release();

    /// <summary>The ready-model pattern, or null for a bare RNN layer.</summary>
    public abstract ModelKind? Kind { get; }

    /// <summary>The classes a label indexes (classifier, tagger), or null where results carry no labels.</summary>
    public virtual int? Classes => null;

    /// <summary>What was loaded, in one line (for logs and summaries).</summary>
    public abstract string Description { get; }

    /// <summary>The reason a (readable) record cannot be predicted, or null when it can.</summary>
    internal abstract string? Check(PredictionRecord record);

    /// <summary>Results in the order of <paramref name="batch"/>; every record has passed <see cref="Check"/>.</summary>
    internal abstract PredictionResult[] Run(IReadOnlyList<PredictionRecord> batch, PredictionStatistics statistics);

    private protected static int Longest(IReadOnlyList<PredictionRecord> batch)
    {
        int longest = 0;
        foreach (var r in batch) longest = Math.Max(longest, r.Length);
        return longest;
    }

    private protected static int[] Lengths(IReadOnlyList<PredictionRecord> batch) => batch.Select(r => r.Length).ToArray();

    private protected static long Useful(IReadOnlyList<PredictionRecord> batch) => batch.Sum(r => (long)r.Length);

    private protected static string? CheckTokens(PredictionRecord record, ITokenInput input)
    {
        if (record.Tokens is null) return "the model reads \"tokens\", but the record has \"features\"";
        if (record.Tokens.Length == 0) return "empty sequence";
        return input.Check(record.Tokens);
    }
}
