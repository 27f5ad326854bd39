using System.CommandLine;
using System.Globalization;
using RnnNative.Cli.Benchmarking;
using RnnNative.Interop;
using RnnNative.Managed;

namespace RnnNative.Cli.Commands;

/// <summary>
/// <c>rnn demo</c> (what <c>./build.sh demo</c> runs): the four standard configurations on the fastest backend present,
/// about two seconds each, as a table.
/// </summary>
internal static class DemoCommand
{
    /// <summary>
    /// The managed reference computes in double, one thread, at a small fraction of an optimised backend's speed; at full
    /// size one lstm-infer batch takes about 7 s here (47 GFLOP at ~6.5 GFLOP/s), so without a native backend the batch and sequence length are divided by this.
    /// </summary>
    private const int ManagedScaleDown = 8;

    public static Command Create(CliConsole console)
    {
        var seconds = new Option<double>("--seconds") { Description = "Timed duration per configuration.", DefaultValueFactory = _ => 2 };
        var backendOptions = new BackendOptions();
        var command = new Command("demo", "Benchmark the standard configurations on the fastest backend present.");
        command.Add(seconds);
        backendOptions.AddTo(command);
        command.SetAction(parsed =>
        {
            double duration = parsed.GetValue(seconds);
            if (!double.IsFinite(duration) || duration <= 0 || duration > 600)
                throw new CliUsageException($"--seconds must be between 0 and 600; got {duration.ToString(CultureInfo.InvariantCulture)}.");
            var backend = backendOptions.Resolve(parsed);
            var options = new RnnExecutorOptions(backendOptions.GetPrecision(parsed));

            var o = console.Out;
            bool scaled = backend is ManagedBackend;
            o.WriteLine($"RnnNative demo: forward inference, {BackendOptions.PrecisionName(options.Precision)}, on the {backend.Name} backend ({backend.Availability.Reason}), ~{duration.ToString("0.#", CultureInfo.InvariantCulture)} s per configuration.");
            foreach (var b in RnnBackends.All.Where(b => !b.Availability.IsAvailable))
                o.WriteLine($"  ({b.Name} is unavailable: {b.Availability.Reason})");
            if (scaled)
                o.WriteLine($"The managed reference is the exact, slow oracle (double accumulation, one thread): batch and sequence length are divided by {ManagedScaleDown}, and its GFLOP/s are not comparable with a native backend's.");
            if (options.Precision == RnnPrecision.Int8) o.WriteLine($"({BenchRunner.Int8CalibrationNote}; int8 runs LSTM only, so other cells are skipped)");
            o.WriteLine();
            o.WriteLine($"{"config",-13} {"model",-52} {"N",4} {"T",4} {"batches",8} {"ms/batch",10} {"seq/s",10} {"GFLOP/s",9}");
            foreach (var config in StandardConfiguration.All)
            {
                if (options.Precision == RnnPrecision.Int8 && config.Spec.Cell != RnnCellKind.Lstm)
                {
                    o.WriteLine($"{config.Name,-13} {config.Spec,-52} (skipped: no int8 kernel for {config.Spec.Cell.ToModeName()})");
                    continue;
                }
                int batch = scaled ? config.Batch / ManagedScaleDown : config.Batch;
                int seqLen = scaled ? config.SeqLen / ManagedScaleDown : config.SeqLen;
                var result = BenchRunner.Measure(backend, config.Spec, batch, seqLen, options, train: false, duration);
                o.WriteLine(FormattableString.Invariant(
                    $"{config.Name,-13} {config.Spec,-52} {batch,4} {seqLen,4} {result.Iterations,8} {result.MsPerBatch,10:F2} {result.SequencesPerSecond,10:F1} {result.GigaflopsPerSecond,9:F2}"));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
