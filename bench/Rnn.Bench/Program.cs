using System.Runtime.InteropServices;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using RnnNative.Bench;
using RnnNative.Bench.Peers;
using RnnNative.Benchmarking;

// dotnet bench/Rnn.Bench/bin/Release/net10.0/Rnn.Bench.dll [--quick] [--perturb-peer] [--out FILE]
//   (./build.sh bench [--quick] runs it and writes bench/results/<date>.md)
bool quick = args.Contains("--quick");
bool perturbPeer = args.Contains("--perturb-peer");
int outIndex = Array.IndexOf(args, "--out");
string? outPath = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : null;
var unknown = args.Where((a, i) => a is not ("--quick" or "--perturb-peer" or "--out") && !(i > 0 && args[i - 1] == "--out")).ToList();
if (unknown.Count > 0 || (outIndex >= 0 && outPath is null))
{
    Console.Error.WriteLine($"usage: Rnn.Bench [--quick] [--perturb-peer] [--out FILE]; unexpected: {string.Join(' ', unknown)}");
    return 2;
}
if (quick) Environment.SetEnvironmentVariable("RNN_BENCH_QUICK", "1");

try
{
    EqualityGate.Run(StandardConfiguration.All, perturbPeer, Console.Out);
}
catch (PeerMismatchException e)
{
    Console.Error.WriteLine($"benchmark stopped before timing: {e.Message}");
    return 1;
}

// In process: one process and one run for ours and the peer, with the native libraries loaded once.
var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance);
if (quick) job = job.WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1).WithLaunchCount(1);
var config = ManualConfig.CreateMinimumViable().AddJob(job).AddExporter(MarkdownExporter.GitHub)
    .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "rnn-bench-artifacts"));
var summaries = new[]
{
    BenchmarkRunner.Run<PeerInferenceBenchmarks>(config),
    BenchmarkRunner.Run<TrainingBenchmarks>(config),
};

var rows = new List<BenchRow>();
foreach (var summary in summaries)
foreach (var report in summary.Reports)
{
    if (report.ResultStatistics is null) continue;
    var c = (StandardConfiguration)report.BenchmarkCase.Parameters["Configuration"];
    var target = report.BenchmarkCase.Parameters["Target"].ToString()!;
    bool training = report.BenchmarkCase.Descriptor.Type == typeof(TrainingBenchmarks);
    // Backward does about twice the forward's GEMM work (input and weight gradients).
    double flops = c.Spec.ForwardFlops(c.Batch, c.SeqLen) * (training ? 3 : 1);
    rows.Add(new BenchRow(training ? "training" : "inference", c.Name, target, report.ResultStatistics.Mean, flops));
}
if (rows.Count == 0)
{
    Console.Error.WriteLine("no benchmark produced a result (see BenchmarkDotNet's log above)");
    return 1;
}

var environment = new List<(string, string)>
{
    ("date (UTC)", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm")),
    ("CPU", CpuModel()),
    ("logical cores (threads given to every contender)", BenchWorkload.Threads.ToString()),
    ("OS", RuntimeInformation.OSDescription),
    (".NET", RuntimeInformation.FrameworkDescription),
    ("ONNX Runtime", OrtRnnPeer.Version),
    ("BenchmarkDotNet", typeof(Summary).Assembly.GetName().Version!.ToString()),
    ("mode", quick ? "quick (smoke run: 3 iterations, training on one configuration; not figures to quote)" : "full"),
};
string markdown = ResultsTable.Write(rows, environment);
Console.WriteLine();
Console.WriteLine(markdown);
if (outPath is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
    File.WriteAllText(outPath, markdown);
    Console.WriteLine($"written: {outPath}");
}
return 0;

static string CpuModel()
{
    try
    {
        var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?.Split(':', 2)[1].Trim() ?? "unknown";
    }
    catch (IOException) { return "unknown"; }
}
