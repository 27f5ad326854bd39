using System.Globalization;
using System.Text;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using RnnNative.Bench.Limits;
using RnnNative.Bench.Peers;
using RnnNative.Cli.Benchmarking;

namespace RnnNative.Bench.Harness;

/// <summary>
/// Whether the suite's two ways of timing a row agree: for each row the short run times (the peer and each single-caller
/// native target), BenchmarkDotNet as the full suite runs it (<see cref="SuiteJob"/>, that row alone) and the plain loop
/// of <see cref="ShortRun"/>, one after the other, several times, alternating which goes first, in one process. Runs
/// far apart in time meet a machine that has changed; interleaved, a difference that stays is the harness's.
/// Usage: Rnn.Bench --harness-check [--repeats N] [--out FILE].
/// </summary>
internal static class HarnessCheck
{
    public static int Run(IReadOnlyList<string> args, TextWriter log)
    {
        var list = args.ToList();
        int repeats = 3;
        int at = list.IndexOf("--repeats");
        if (at >= 0 && (at + 1 >= list.Count || !int.TryParse(list[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out repeats) || repeats < 1))
        {
            Console.Error.WriteLine("usage: Rnn.Bench --harness-check [--repeats N] [--out FILE]; --repeats needs a positive integer");
            return 2;
        }
        int outAt = list.IndexOf("--out");
        string? outPath = outAt >= 0 && outAt + 1 < list.Count ? list[outAt + 1] : null;

        try
        {
            EqualityGate.Run(StandardConfiguration.All, perturbPeer: false, log, ShortRun.Times);
        }
        catch (PeerMismatchException e)
        {
            Console.Error.WriteLine($"benchmark stopped before timing: {e.Message}");
            return 1;
        }

        var started = DateTime.UtcNow;
        var rows = new List<(InferenceCase Case, List<double> Bdn, List<double> Loop)>();
        foreach (var inferenceCase in PeerInferenceBenchmarks.Cases.Where(ShortRun.Times))
        {
            var parameters = BenchWorkload.Parameters(inferenceCase.Configuration);
            var bdn = new List<double>();
            var loop = new List<double>();
            for (int r = 0; r < repeats; r++)
            {
                void TimeBdn() => bdn.Add(BenchmarkDotNetMean(inferenceCase));
                void TimeLoop() => loop.Add(ShortRun.TimeOne(inferenceCase, parameters).MeanNanoseconds);
                if (r % 2 == 0) { TimeBdn(); TimeLoop(); }
                else { TimeLoop(); TimeBdn(); }
            }
            rows.Add((inferenceCase, bdn, loop));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"harness {inferenceCase,-32} BenchmarkDotNet {string.Join(" / ", bdn.Select(Ms))} ms  loop {string.Join(" / ", loop.Select(Ms))} ms  ratio {Median(bdn) / Median(loop):0.00}"));
        }

        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine("# BenchmarkDotNet against the plain loop, interleaved").AppendLine();
        md.AppendLine(inv, $"- date (UTC): {started:yyyy-MM-dd HH:mm} to {DateTime.UtcNow:HH:mm}; CPU: {CpuInfo.Model}; logical cores: {Environment.ProcessorCount}; threads per contender: {BenchWorkload.Threads}");
        md.AppendLine(inv, $"- per row, {repeats} times, alternating which goes first: BenchmarkDotNet in process as the full suite runs it ({SuiteJob.FullWarmups} warm-up + {SuiteJob.FullIterations} iterations of one batch, mean), then the short run's loop (one warm-up batch, then batches for {ShortRun.SecondsPerRow:0} s, mean)");
        md.AppendLine("- ratio: median of BenchmarkDotNet's means ÷ median of the loop's; spread: largest ÷ smallest of a method's figures for the row").AppendLine();
        md.AppendLine("| row | BenchmarkDotNet, ms per batch | loop, ms per batch | ratio | spread BenchmarkDotNet | spread loop |");
        md.AppendLine("|---|---|---|---:|---:|---:|");
        foreach (var (c, bdn, loop) in rows)
            md.AppendLine(inv, $"| {c.Configuration.Name} {c.TargetLabel} | {string.Join(" / ", bdn.Select(Ms))} | {string.Join(" / ", loop.Select(Ms))} | {Median(bdn) / Median(loop):0.00} | {bdn.Max() / bdn.Min():0.00} | {loop.Max() / loop.Min():0.00} |");
        log.WriteLine();
        log.WriteLine(md.ToString());
        if (outPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            File.WriteAllText(outPath, md.ToString());
            log.WriteLine($"written: {outPath}");
        }
        return 0;
    }

    private static double BenchmarkDotNetMean(InferenceCase inferenceCase)
    {
        string name = inferenceCase.ToString();
        var config = SuiteJob.Config(quick: false).AddFilter(new SimpleFilter(b => b.Parameters["Case"]?.ToString() == name));
        var summary = BenchmarkRunner.Run<PeerInferenceBenchmarks>(config);
        var report = summary.Reports.SingleOrDefault(r => r.ResultStatistics is not null)
            ?? throw new InvalidOperationException($"BenchmarkDotNet gave no result for {name}");
        return report.ResultStatistics!.Mean;
    }

    private static string Ms(double nanoseconds) => (nanoseconds / 1e6).ToString("0.0", CultureInfo.InvariantCulture);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
