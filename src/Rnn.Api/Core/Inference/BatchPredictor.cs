using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace RnnNative.Inference;

/// <summary>
/// Streams records through one model: a reader takes <see cref="BatchPredictorOptions.Window"/> records at a time,
/// checks each once (rejected records become error results in their place), sorts the rest by length and cuts them
/// into batches; a pool of workers runs the batches on the shared model; results come back in input order, exactly
/// one per record, each as soon as it and every result before it are done (a slow batch holds back only the results
/// after its first record, never the ones before). Memory is bounded by the window, never by the input: at most three
/// windows are alive (one being returned, one queued, one being dispatched), and every stage waits for the next one
/// (back-pressure).
/// </summary>
public sealed class BatchPredictor
{
    private readonly InferenceModel _model;

    public BatchPredictor(InferenceModel model, BatchPredictorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= BatchPredictorOptions.Default;
        options.Validate();
        _model = model;
        Options = options;
    }

    public BatchPredictorOptions Options { get; }

    /// <summary>
    /// Counters over every record this predictor has returned, safe to read while it runs: the records count as they
    /// are returned. The time steps and batches of a window are added just before its last result is returned, so once
    /// a window's last result has been returned the counters cover exactly the windows returned so far.
    /// </summary>
    public PredictionStatistics Statistics { get; } = new();

    /// <summary>One result per record, in the records' order. Failures of the model itself (not of a record) end the stream with their exception.</summary>
    public async IAsyncEnumerable<PredictionResult> PredictAsync(IAsyncEnumerable<PredictionRecord> records,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = cancel.Token;
        var windows = Channel.CreateBounded<Window>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var work = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(2 * Options.Workers) { SingleWriter = true });
        var reader = Task.Run(() => ReadAsync(records, windows.Writer, work.Writer, token), CancellationToken.None);
        var workers = Enumerable.Range(0, Options.Workers).Select(_ => Task.Run(() => WorkAsync(work.Reader, token), CancellationToken.None)).ToArray();
        try
        {
            await foreach (var window in windows.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                int count = window.Results.Length;
                for (int next = 0; next < count; next++)
                {
                    // The next result in input order is returned as soon as its batch is done; until then each
                    // finished batch wakes this loop once to look again.
                    PredictionResult? result;
                    while ((result = Volatile.Read(ref window.Results[next])) is null)
                    {
                        await window.BatchFinished.WaitAsync(token).ConfigureAwait(false);
                        if (window.Failure is { } failure) ExceptionDispatchInfo.Throw(failure);
                    }
                    // A window's passes count with its last result, so after it the counters describe exactly the
                    // windows returned so far (what a caller checkpointing per window needs).
                    if (next == count - 1) Statistics.AddPasses(window.Statistics);
                    Statistics.AddResult(result);
                    yield return result;
                }
            }
            await reader.ConfigureAwait(false);
        }
        finally
        {
            await cancel.CancelAsync().ConfigureAwait(false);
            foreach (var task in workers.Append(reader))
            {
                try
                {
                    await task.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The stream ended (or was abandoned); the stages were told to stop.
                }
            }
        }
    }

    private async Task ReadAsync(IAsyncEnumerable<PredictionRecord> records, ChannelWriter<Window> windows, ChannelWriter<WorkItem> work, CancellationToken token)
    {
        Exception? failure = null;
        try
        {
            var pending = new List<PredictionRecord>(Math.Min(Options.Window, 65536));
            await foreach (var record in records.WithCancellation(token).ConfigureAwait(false))
            {
                pending.Add(record ?? throw new ArgumentException("The record stream holds a null record.", nameof(records)));
                if (pending.Count == Options.Window)
                {
                    await DispatchAsync(pending, windows, work, token).ConfigureAwait(false);
                    pending = new List<PredictionRecord>(pending.Capacity);
                }
            }
            if (pending.Count > 0) await DispatchAsync(pending, windows, work, token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            windows.TryComplete(failure);
            work.TryComplete();
        }
    }

    private async Task DispatchAsync(List<PredictionRecord> records, ChannelWriter<Window> windows, ChannelWriter<WorkItem> work, CancellationToken token)
    {
        var window = new Window(records);
        var accepted = new List<int>(records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            var reason = Reject(records[i]);
            if (reason is null) accepted.Add(i);
            else window.Results[i] = PredictionResult.Failed(records[i], reason);
        }
        var batches = BatchPlanner.Plan(accepted.Select(i => records[i].Length).ToList(), Options);
        await windows.WriteAsync(window, token).ConfigureAwait(false);
        foreach (var batch in batches)
            await work.WriteAsync(new WorkItem(window, batch.Select(j => accepted[j]).ToArray()), token).ConfigureAwait(false);
    }

    private string? Reject(PredictionRecord record)
    {
        if (record.Rejection is { } reason) return reason;
        if (_model.Check(record) is { } invalid) return invalid;
        if (Options.MaxLength is { } max && record.Length > max) return $"length {record.Length} is longer than the maximum length {max}";
        return null;
    }

    private async Task WorkAsync(ChannelReader<WorkItem> work, CancellationToken token)
    {
        await foreach (var item in work.ReadAllAsync(token).ConfigureAwait(false))
        {
            try
            {
                var batch = item.Indices.Select(i => item.Window.Records[i]).ToList();
                var results = _model.Run(batch, item.Window.Statistics);
                item.Window.Statistics.AddBatch();
                for (int k = 0; k < item.Indices.Length; k++) Volatile.Write(ref item.Window.Results[item.Indices[k]], results[k]);
            }
            catch (Exception e)
            {
                // The worker stays alive for other windows' batches; the consumer meets the failure at this window,
                // after the results before the failed batch's first record.
                Interlocked.CompareExchange(ref item.Window.Failure, e, null);
            }
            item.Window.BatchFinished.Release();
        }
    }

    private sealed class Window(List<PredictionRecord> records)
    {
        public List<PredictionRecord> Records { get; } = records;
        public PredictionResult?[] Results { get; } = new PredictionResult?[records.Count];
        /// <summary>Released once per finished batch (done or failed); the consumer waits on it for the next result.</summary>
        public SemaphoreSlim BatchFinished { get; } = new(0);
        /// <summary>The first failure of one of this window's batches; its records never get a result.</summary>
        public Exception? Failure;
        /// <summary>The passes and batches of this window's records only.</summary>
        public PredictionStatistics Statistics { get; } = new();
    }

    private sealed record WorkItem(Window Window, int[] Indices);
}
