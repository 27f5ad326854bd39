using System.Runtime.InteropServices;
using RnnNative.Inference;

namespace RnnNative.Cli.Predict;

/// <summary>
/// One <c>rnn predict</c> run: loads the model, streams this shard's records (after those an earlier run committed)
/// through <see cref="BatchPredictor"/>, writes each window's results as one committed chunk and bad records to the
/// errors file, stops with exit code 3 past --max-errors, and at the end joins the chunks into the output (exit code 3
/// too when every record failed).
/// </summary>
internal sealed class PredictRunner(PredictSettings settings, CliConsole console, Stream standardInput)
{
    public async Task<int> RunAsync()
    {
        var format = ResultFormat.ForOutput(settings.OutputPath);
        // A stopped run keeps its committed chunks; the operator is told so, and the signal then ends the process as usual.
        // The results of the window in progress are not committed: a chunk is always one whole window, so that the
        // continued run forms the same windows and batches and writes the same bytes as an uninterrupted one.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Stopped("SIGTERM"));
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Stopped("SIGINT"));
        AddressSpaceLimit.PrepareForOneDnn(settings.Backend.Name, settings.Threads, settings.Engine.Workers);
        var labels = LabelNames.Load(settings.LabelsPath);
        // The model and the options are checked before any file is touched: a refused command leaves no trace.
        // One path for every batch: a record's scores must not depend on the batch bucketing put it in, so that shards and
        // resumed runs equal a single run byte for byte (docs/scale-out.md); the automatic choice would give small
        // batches the small-batch path, which agrees with the primitive only within rounding.
        using var model = InferenceModelLoader.Load(settings.ModelPath,
            settings.ModelOptions(new RnnExecutorOptions(settings.Precision, settings.Threads, SmallBatchPath: SmallBatchPath.Never)));
        var shape = OutputShape.For(model, settings, labels);
        // The summary's seconds: wall time from here (the model loaded) to the joined, verified output, commits included.
        var clock = new RunClock();
        var identity = RunIdentity.Of(settings, format);
        using var exclusive = OutputLock.Take(settings.OutputPath);
        var output = ChunkedOutput.Open(settings.OutputPath, settings.ErrorsPath, format, identity, settings.Engine.Window, settings.Shard);
        foreach (string repair in output.Repairs) console.Err.WriteLine($"rnn predict: {repair}");
        if (output.AlreadyComplete)
        {
            if (!settings.Quiet) console.Err.WriteLine($"rnn predict: {settings.OutputPath} is already complete for this command; nothing to do.");
            return Finish(PredictSummary.From(output.Manifest, clock.SinceLastCommit()));
        }
        if (settings.Engine.Workers * (long)settings.Threads > Environment.ProcessorCount)
            console.Err.WriteLine($"rnn predict: --workers {settings.Engine.Workers} × --threads {settings.Threads} = {settings.Engine.Workers * (long)settings.Threads} threads on " +
                $"{Environment.ProcessorCount} cores; past the core count the threads wait on each other and the run slows down (keep workers × threads ≤ cores).");
        long skip = output.Manifest.Records;
        if (skip > 0 && !settings.Quiet)
            console.Err.WriteLine($"rnn predict: resuming {settings.OutputPath} after {output.Manifest.Chunks.Count} committed chunk(s) ({skip} records).");

        var records = new RecordStream(settings.Inputs, settings.Shard, skip, standardInput, settings.MaxRecordBytes,
            output.Manifest.Chunks.LastOrDefault()?.InputPrefix, settings.MaxRowGroupRows);
        long? total = settings.Quiet ? null : await records.CountAsync().ConfigureAwait(false);
        var predictor = new BatchPredictor(model, settings.Engine);
        var upkeep = OneDnnMemoryUpkeep.Start(settings.Backend, settings.Precision);
        var progress = new PredictProgress(console.Err, settings.Quiet, total, skip, predictor.Statistics);
        string? stop = await progress.RunAsync(() => Task.Run(() => PredictAsync(predictor, records, output, shape, upkeep, clock))).ConfigureAwait(false);
        if (stop is not null)
        {
            console.Err.WriteLine($"rnn: {CliFailures.OneLine(stop)}");
            return ExitCodes.TooManyErrors;
        }
        output.Finish(shape);
        return Finish(PredictSummary.From(output.Manifest, clock.SinceLastCommit()));
    }

    /// <summary>Runs the engine; returns why the run stopped early (too many errors), or null when every record was written.</summary>
    private async Task<string?> PredictAsync(BatchPredictor predictor, RecordStream records, ChunkedOutput output, OutputShape shape,
        OneDnnMemoryUpkeep? upkeep, RunClock clock)
    {
        int window = settings.Engine.Window;
        long committedErrors = output.Manifest.Errors;
        var chunk = output.BeginChunk(shape);
        chunk.Start(predictor.Statistics);
        try
        {
            await foreach (var result in predictor.PredictAsync(records.ReadAsync()).ConfigureAwait(false))
            {
                string? errorLine = result.IsError ? ErrorLine.For(result, records.SourceOf(result.Record)) : null;
                chunk.Add(result, errorLine);
                chunk.InputPrefix = records.PrefixOf(result.Record);
                if (errorLine is not null && settings.MaxErrors is { } max && committedErrors + chunk.ErrorLines.Count > max)
                {
                    chunk.Writer.Dispose();
                    output.WriteErrorsSoFar(chunk.ErrorLines);
                    return $"more than --max-errors {max} bad records (the last: {result.Error}); they are in {settings.ErrorsPath}.";
                }
                if (chunk.Records == window)
                {
                    output.Commit(chunk, predictor.Statistics, clock.SinceLastCommit);
                    upkeep?.WindowDone();
                    committedErrors += chunk.ErrorLines.Count;
                    chunk = output.BeginChunk(shape);
                    chunk.Start(predictor.Statistics);
                }
            }
            if (chunk.Records > 0 || output.Manifest.Chunks.Count == 0) output.Commit(chunk, predictor.Statistics, clock.SinceLastCommit);
            else chunk.Writer.Dispose();
            return null;
        }
        catch
        {
            try
            {
                chunk.Writer.Dispose();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // Closing a writer whose disk is full fails again, less tellingly: the failure reported is the first.
            }
            throw;
        }
    }

    private void Stopped(string signal) =>
        console.Err.WriteLine($"rnn predict: stopped by {signal}; the committed chunks of {settings.OutputPath} are kept, and the same command resumes it.");

    private int Finish(PredictSummary summary)
    {
        console.Out.WriteLine(summary.Line(settings.OutputPath));
        if (settings.SummaryPath is { } path) summary.WriteJson(path);
        // A run that scored nothing it was given did not succeed, whatever --max-errors allows: usually the model
        // cannot read this input at all. The files are complete all the same, so the same command answers the same way.
        if (summary.Records > 0 && summary.Errors == summary.Records)
        {
            console.Err.WriteLine($"rnn: every one of the {summary.Records} records failed and {settings.OutputPath} holds no result; " +
                $"the reasons are in {settings.ErrorsPath}.");
            return ExitCodes.TooManyErrors;
        }
        return ExitCodes.Success;
    }
}
