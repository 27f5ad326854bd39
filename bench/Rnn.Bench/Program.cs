using System.Globalization;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using RnnNative.Bench;
using RnnNative.Bench.CallerMemory;
using RnnNative.Bench.Harness;
using RnnNative.Bench.Limits;
using RnnNative.Bench.Peers;
using RnnNative.Bench.Predict;
using RnnNative.Cli.Benchmarking;

// dotnet bench/Rnn.Bench/bin/Release/net10.0/Rnn.Bench.dll [--quick] [--perturb-peer] [--out FILE] [--records N]
//                                                        [--write-predict-workload DIR] [--short] [--predict-only]
//                                                        | --caller-memory [--perturb-peer] [--out FILE]
//                                                        | --latency [--quick] [--out FILE]
//   (./build.sh bench [--quick] runs it and writes bench/results/<date>.md; ./build.sh demo runs --short)
//   --caller-memory: peak resident memory from 1 to 4 callers on lstm-infer, ours (`rnn bench --callers K`) beside ONNX
//   Runtime (one session, K callers), each figure a child process; ORT's child is this program with --ort-callers K.
// --streams: stateful streams under rising load (bench/Rnn.Bench/Streams), a run of its own.
if (args is ["--streams", .. var streamArgs]) return RnnNative.Bench.Streams.StreamBenchmark.Run(streamArgs, Console.Out);
// --harness-check: BenchmarkDotNet and the plain loop on the same rows, interleaved (bench/Rnn.Bench/Harness).
if (args is ["--harness-check", .. var harnessArgs]) return RnnNative.Bench.Harness.HarnessCheck.Run(harnessArgs, Console.Out);
var options = BenchOptions.Parse(args, out string? usageError);
if (options is null)
{
    Console.Error.WriteLine($"usage: Rnn.Bench [--quick] [--perturb-peer] [--out FILE] [--records N] [--write-predict-workload DIR] [--short] [--predict-only] | --caller-memory [--perturb-peer] [--out FILE] | --latency [--quick] [--out FILE]; {usageError}");
    return 2;
}
if (options.WritePredictWorkload is { } workloadDir)
{
    foreach (var file in PredictWorkloadWriter.Write(workloadDir, options.Records ?? PredictWorkload.FullRecords))
        Console.WriteLine($"written: {file}");
    return 0;
}
if (options.OrtCallers is { } ortCallers) return OrtCallersChild.Run(ortCallers, Console.Out);
if (options.CallerMemory)
{
    CallerMemoryReport callerMemory;
    try
    {
        callerMemory = CallerMemoryRun.Run(options.PerturbPeer, Console.Out);
    }
    catch (PeerMismatchException e)
    {
        Console.Error.WriteLine($"benchmark stopped before timing: {e.Message}");
        return 1;
    }
    WriteMarkdown(CallerMemoryTable.Write(callerMemory));
    return 0;
}
if (options.Latency)
{
    IReadOnlyList<RnnNative.Bench.Latency.LatencyRow> latency;
    try
    {
        latency = RnnNative.Bench.Latency.LatencyRun.Run(options.Quick, Console.Out);
    }
    catch (PeerMismatchException e)
    {
        Console.Error.WriteLine($"benchmark stopped before timing: {e.Message}");
        return 1;
    }
    WriteMarkdown(RnnNative.Bench.Latency.LatencyTable.Write(latency, options.Quick));
    return 0;
}
if (options.Quick) Environment.SetEnvironmentVariable("RNN_BENCH_QUICK", "1");
int predictRecords = options.Records ?? (options.Quick ? PredictWorkload.QuickRecords : PredictWorkload.FullRecords);

IReadOnlyList<PredictRow> predict;
try
{
    if (!options.PredictOnly) EqualityGate.Run(StandardConfiguration.All, options.PerturbPeer, Console.Out, options.Short ? ShortRun.Times : null);
    // The workload's own gate runs before its timing; a mismatch there stops the suite before BenchmarkDotNet starts.
    predict = options.Short ? [] : PredictBenchmark.Run(predictRecords, options.PerturbPeer, Console.Out);
}
catch (PeerMismatchException e)
{
    Console.Error.WriteLine($"benchmark stopped before timing: {e.Message}");
    return 1;
}

if (options.PredictOnly) return 0; // its rows are printed as they are measured

var probe = options.Quick || options.Short ? new GemmCeilingProbe(BenchWorkload.Threads, secondsPerRound: 0.05, rounds: 2) : new GemmCeilingProbe(BenchWorkload.Threads);
var limits = new List<ConfigurationLimit>();
foreach (var configuration in StandardConfiguration.All)
foreach (var precision in Enum.GetValues<GemmPrecision>())
{
    var limit = probe.Limit(configuration, precision);
    limits.Add(limit);
    Console.WriteLine(limit.IsAvailable
        ? string.Create(CultureInfo.InvariantCulture, $"limit {configuration.Name,-13} {precision.EntryPoint(),-22} {limit.OperationsPerSecond / 1e9:0.0} {precision.RateUnit()}")
        : $"limit {configuration.Name,-13} {precision.EntryPoint(),-22} n/a: {limit.Unavailable}");
}

var rows = options.Short ? [.. ShortRun.Time(Console.Out)] : RunBenchmarkDotNet();
if (rows.Count == 0)
{
    Console.Error.WriteLine("no benchmark produced a result (see BenchmarkDotNet's log above)");
    return 1;
}

var environment = new List<(string, string)>
{
    ("date (UTC)", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
    ("CPU", CpuInfo.Model),
    ("logical cores (threads given to every contender; K×T rows: K callers × T threads each)", BenchWorkload.Threads.ToString(CultureInfo.InvariantCulture)),
    ("bf16 GEMM on this CPU", GemmCeilingProbe.Bf16Support(CpuInfo.Flags)),
    ("GEMM limit from", $"{probe.Source} ({probe.Rounds} rounds of ≥ {probe.SecondsPerRound:0.###} s per shape, best round)"),
    ("OS", RuntimeInformation.OSDescription),
    (".NET", RuntimeInformation.FrameworkDescription),
    ("ONNX Runtime", OrtRnnPeer.Version),
    ("BenchmarkDotNet", typeof(Summary).Assembly.GetName().Version!.ToString()),
    ("mode", options.Short
        ? $"short (the demo: inference rows only, each a plain loop of {ShortRun.SecondsPerRow:0} s after one warm-up call, short GEMM probe; not figures to quote)"
        : options.Quick
        ? "quick (smoke run: 3 iterations, training on one configuration, short GEMM probe, 1,000 workload records; not figures to quote)"
        : $"full (BenchmarkDotNet: {SuiteJob.FullWarmups} warm-up + {SuiteJob.FullIterations} measured iterations per row, mean reported)"),
};
// The short run times neither the managed row, nor K×T rows, nor the workload, nor training: their notes would not apply.
var notes = new List<string>
{
    BenchWorkload.Int8CalibrationNote + "; int8 runs LSTM inference only, so gru-infer and rnn-infer have no int8 row (n/a), nor does training.",
};
if (!options.Short)
{
    notes.AddRange(
    [
        $"managed: the pure C# reference, timed on the first tenth of each sequence and scaled to the full length (a forward pass is linear in T), for scale only.",
        "K×T rows: one executor shared by K caller threads, each running its own batch with T threads; time per batch = round time ÷ K.",
        $"batch-inference workload: {PredictWorkload.Description}; ours loads the model as a checkpoint in memory, ORT runs the whole graph (Gather → LSTM → LSTM → Y_h → Gemm → Softmax) from the same weights; one timed pass each after the agreement check on the first {PredictBenchmark.GateRecords} records.",
        "training has no limit column: its backward GEMMs have other shapes than the forward's, and no peer trains in this process.",
    ]);
}
notes.AddRange(
[
    "% of limit above 100 means the probe met a busier machine than the row did (other load): the limit is an upper bound only on a quiet machine; re-run there.",
    "What varies between machines: the GEMM ceiling itself (cores, AVX-512/bf16/VNNI, clocks, memory bandwidth) and how close each runtime gets to it; compare the % of limit column across machines, the × ORT column within one run.",
]);
WriteMarkdown(ResultsTable.Write(new BenchReport(rows, limits, predict, environment, notes)));
return 0;

// Every run's table goes to stdout after its log, and to --out as well when given.
void WriteMarkdown(string markdown)
{
    Console.WriteLine();
    Console.WriteLine(markdown);
    if (options.Out is null) return;
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Out))!);
    File.WriteAllText(options.Out, markdown);
    Console.WriteLine($"written: {options.Out}");
}

// BenchmarkDotNet in process: one process and one run for ours and the peer, with the native libraries loaded once.
List<BenchRow> RunBenchmarkDotNet()
{
    var config = SuiteJob.Config(options.Quick);
    var summaries = new[]
    {
        BenchmarkRunner.Run<PeerInferenceBenchmarks>(config),
        BenchmarkRunner.Run<TrainingBenchmarks>(config),
    };

    var rows = new List<BenchRow>();
    // BenchmarkDotNet reports in its own order; the table follows the configurations' and the targets' order.
    var caseOrder = PeerInferenceBenchmarks.Cases.Select((c, i) => (c.ToString(), i)).ToDictionary(p => p.Item1, p => p.i);
    var configurationOrder = StandardConfiguration.All.Select((c, i) => (c.Name, i)).ToDictionary(p => p.Name, p => p.i);
    var order = new Dictionary<BenchRow, (int, int)>();
    foreach (var summary in summaries)
    foreach (var report in summary.Reports)
    {
        if (report.ResultStatistics is null) continue;
        double mean = report.ResultStatistics.Mean;
        if (report.BenchmarkCase.Descriptor.Type == typeof(TrainingBenchmarks))
        {
            var c = (StandardConfiguration)report.BenchmarkCase.Parameters["Configuration"];
            var target = (BackendTarget)report.BenchmarkCase.Parameters["Target"];
            // Backward does about twice the forward's GEMM work (input and weight gradients).
            var training = new BenchRow("training", c.Name, target.ToString(), mean, c.Spec.ForwardFlops(c.Batch, c.SeqLen) * 3);
            rows.Add(training);
            order[training] = (1, configurationOrder[c.Name]);
            continue;
        }
        var inferenceCase = (InferenceCase)report.BenchmarkCase.Parameters["Case"];
        var configuration = inferenceCase.Configuration;
        // Per batch: a K-caller round runs K batches; the managed reference's short run is scaled to the full length.
        var row = new BenchRow("inference", configuration.Name, inferenceCase.TargetLabel, mean / inferenceCase.Target.Callers * inferenceCase.Scale,
            configuration.Spec.ForwardFlops(configuration.Batch, configuration.SeqLen), GemmPrecisions.For(inferenceCase.Target.Precision));
        rows.Add(row);
        order[row] = (0, caseOrder[inferenceCase.ToString()]);
    }
    rows = [.. rows.OrderBy(r => order[r].Item1).ThenBy(r => order[r].Item2)];
    return rows;
}
