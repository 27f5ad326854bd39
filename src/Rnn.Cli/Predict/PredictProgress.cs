using System.Diagnostics;
using System.Globalization;
using RnnNative.Inference;
using Spectre.Console;

namespace RnnNative.Cli.Predict;

/// <summary>
/// Progress on stderr while a run works: a Spectre.Console progress bar when stderr is a terminal, a plain line every
/// few seconds when it is not (logs, CI), nothing with --quiet. It only reads the engine's counters.
/// </summary>
internal sealed class PredictProgress(TextWriter error, bool quiet, long? total, long alreadyDone, PredictionStatistics statistics)
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        if (quiet) return await work().ConfigureAwait(false);
        bool terminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        return terminal ? await RunLiveAsync(work).ConfigureAwait(false) : await RunPlainAsync(work).ConfigureAwait(false);
    }

    private async Task<T> RunLiveAsync<T>(Func<Task<T>> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        return await console.Progress().AutoClear(true).HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("predict", maxValue: Math.Max(1, total ?? 1));
                task.IsIndeterminate = total is null;
                var running = work();
                while (await Task.WhenAny(running, Task.Delay(250)).ConfigureAwait(false) != running)
                {
                    task.Value = Done;
                    task.Description = Markup.Escape(Line());
                }
                task.Value = task.MaxValue;
                return await running.ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    private async Task<T> RunPlainAsync<T>(Func<Task<T>> work)
    {
        var running = work();
        while (await Task.WhenAny(running, Task.Delay(PlainInterval)).ConfigureAwait(false) != running)
            error.WriteLine($"rnn predict: {Line()}");
        return await running.ConfigureAwait(false);
    }

    private long Done => alreadyDone + statistics.Records;

    /// <summary>"12000/50000 records, 3400 seq/s, 120000 tokens/s, ETA 11 s".</summary>
    private string Line()
    {
        double seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        double rate = statistics.Records / seconds;
        string done = total is { } t ? $"{Done}/{t} records" : $"{Done} records";
        string eta = total is { } all && rate > 0 ? $", ETA {Math.Max(0, (all - Done) / rate).ToString("F0", CultureInfo.InvariantCulture)} s" : "";
        return $"{done}, {rate.ToString("F0", CultureInfo.InvariantCulture)} seq/s, {(statistics.Tokens / seconds).ToString("F0", CultureInfo.InvariantCulture)} tokens/s{eta}";
    }
}
