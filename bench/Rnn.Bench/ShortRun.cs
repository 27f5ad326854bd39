using System.Diagnostics;
using System.Globalization;
using RnnNative.Bench.Limits;
using RnnNative.Bench.Peers;
using RnnNative.Cli.Benchmarking;

namespace RnnNative.Bench;

/// <summary>
/// The demo's short run (<c>--short</c>): every standard configuration with ONNX Runtime and each of our single-caller
/// native targets, each timed by a plain loop for a fixed wall-clock budget after one warm-up call, in place of
/// BenchmarkDotNet's iterations. The same inputs, parameters and equality gate as the full suite; a few seconds per row
/// give figures to look at, not to quote (that is <c>./build.sh bench</c>).
/// </summary>
public static class ShortRun
{
    public const double SecondsPerRow = 2;

    /// <summary>The rows the short run times (and so gates): the peer and each single-caller native target.</summary>
    public static bool Times(InferenceCase inferenceCase) =>
        inferenceCase.Target.Callers == 1 && inferenceCase.Target != BackendTarget.Managed;

    public static IReadOnlyList<BenchRow> Time(TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var rows = new List<BenchRow>();
        foreach (var configuration in StandardConfiguration.All)
        {
            var parameters = BenchWorkload.Parameters(configuration);
            foreach (var inferenceCase in BenchWorkload.InferenceCases([configuration]).Where(Times))
            {
                var (meanNanoseconds, batches) = TimeOne(inferenceCase, parameters);
                var row = new BenchRow("inference", configuration.Name, inferenceCase.TargetLabel, meanNanoseconds,
                    configuration.Spec.ForwardFlops(configuration.Batch, configuration.SeqLen), GemmPrecisions.For(inferenceCase.Target.Precision));
                rows.Add(row);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"short {configuration.Name,-13} {row.Target,-18} {batches,4} batches  {row.MeanNanoseconds / 1e6,9:0.00} ms/batch  {row.GigaOperationsPerSecond,7:0.0} G/s"));
            }
        }
        return rows;
    }

    /// <summary>One row: set up, one warm-up call, then calls for <see cref="SecondsPerRow"/>; the mean time per batch.</summary>
    public static (double MeanNanoseconds, int Batches) TimeOne(InferenceCase inferenceCase, RnnParameters parameters)
    {
        var (run, owner) = Runner(inferenceCase, parameters);
        using (owner)
        {
            run();
            var clock = Stopwatch.StartNew();
            int batches = 0;
            do
            {
                run();
                batches++;
            } while (clock.Elapsed.TotalSeconds < SecondsPerRow);
            return (clock.Elapsed.TotalNanoseconds / batches, batches);
        }
    }

    private static (Action Run, IDisposable Owner) Runner(InferenceCase inferenceCase, RnnParameters parameters)
    {
        if (inferenceCase.Target == BackendTarget.OnnxRuntime)
        {
            var ort = new OrtRnnPeer(parameters, BenchWorkload.Input(inferenceCase.Configuration), BenchWorkload.Threads);
            return (ort.Run, ort);
        }
        var ours = new OurInferenceRunner(inferenceCase, parameters);
        return (ours.Run, ours);
    }
}
