using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using RnnNative.Cli.Benchmarking;

namespace RnnNative.Cli.Commands;

/// <summary>
/// <c>rnn bench</c>: throughput of one configuration on random data (ms per batch, sequences/s, GFLOP/s), from one or
/// more callers on one executor, with per-call latency percentiles and the process's peak resident memory.
/// </summary>
internal static class BenchCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliConsole console)
    {
        var mode = new Option<string>("--mode") { Description = "lstm, gru, rnn_tanh or rnn_relu.", Required = true };
        var inputSize = new Option<int>("--input-size") { Description = "Input features per step.", Required = true };
        var hiddenSize = new Option<int>("--hidden-size") { Description = "Hidden units.", Required = true };
        var layers = new Option<int>("--layers") { Description = "Stacked layers.", Required = true };
        var bidirectional = new Option<bool>("--bidirectional") { Description = "Two directions per layer." };
        var batch = new Option<int>("--batch") { Description = "Sequences per batch (N).", Required = true };
        var seqLen = new Option<int>("--seq-len") { Description = "Time steps (T).", Required = true };
        var train = new Option<bool>("--train") { Description = "Time forward + backward (FLOPs counted as 3× forward)." };
        var seconds = new Option<double>("--seconds") { Description = "Timed duration after warm-up.", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "CPU threads per call (0 = all cores); keep callers × threads ≤ cores.", DefaultValueFactory = _ => 0 };
        var callers = new Option<int>("--callers") { Description = "Threads calling one executor at once, each call on --threads threads.", DefaultValueFactory = _ => 1 };
        var allocate = new Option<bool>("--allocate-outputs")
        {
            Description = "Inference through Forward(RnnInput), which allocates y, h_n and c_n every call, instead of caller-owned buffers.",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line instead of text." };
        var backendOptions = new BackendOptions();

        var command = new Command("bench", "Measure throughput on random data.");
        foreach (var option in new Option[] { mode, inputSize, hiddenSize, layers, bidirectional, batch, seqLen }) command.Add(option);
        backendOptions.AddTo(command);
        foreach (var option in new Option[] { train, seconds, threads, callers, allocate, json }) command.Add(option);
        command.SetAction(parsed =>
        {
            string modeText = parsed.GetRequiredValue(mode);
            if (!RnnCellKindExtensions.TryParseMode(modeText, out var cell))
                throw new CliUsageException($"--mode '{modeText}' is not one of lstm, gru, rnn_tanh, rnn_relu.");
            var spec = new RnnSpec(cell,
                AtLeastOne(parsed.GetValue(inputSize), "--input-size"),
                AtLeastOne(parsed.GetValue(hiddenSize), "--hidden-size"),
                AtLeastOne(parsed.GetValue(layers), "--layers"),
                parsed.GetValue(bidirectional));
            int n = AtLeastOne(parsed.GetValue(batch), "--batch"), t = AtLeastOne(parsed.GetValue(seqLen), "--seq-len");
            double duration = parsed.GetValue(seconds);
            if (!double.IsFinite(duration) || duration <= 0 || duration > 3600)
                throw new CliUsageException($"--seconds must be between 0 and 3600; got {duration.ToString(CultureInfo.InvariantCulture)}.");
            int threadCount = parsed.GetValue(threads);
            if (threadCount < 0) throw new CliUsageException($"--threads must be 0 (all cores) or more; got {threadCount}.");
            int callerCount = parsed.GetValue(callers);
            if (callerCount < 1 || callerCount > MaxCallers)
                throw new CliUsageException($"--callers must be between 1 and {MaxCallers}; got {callerCount}.");
            bool training = parsed.GetValue(train);
            bool allocating = parsed.GetValue(allocate);
            if (allocating && training) throw new CliUsageException("--allocate-outputs is for inference; --train always allocates its results.");

            var backend = backendOptions.Resolve(parsed);
            var precision = backendOptions.GetPrecision(parsed);
            var result = BenchRunner.Measure(backend, spec, n, t, new RnnExecutorOptions(precision, threadCount), training, duration, callerCount, allocating);
            double? peakRss = PeakResidentMemory.Megabytes();
            double callerBuffersMb = callerCount * BenchRunner.CallerBufferBytes(spec, n, t, training || allocating) / (1024.0 * 1024.0);

            if (parsed.GetValue(json))
            {
                console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["backend"] = backend.Name,
                    ["mode"] = cell.ToModeName(),
                    ["input_size"] = spec.InputSize,
                    ["hidden_size"] = spec.HiddenSize,
                    ["layers"] = spec.NumLayers,
                    ["bidirectional"] = spec.Bidirectional,
                    ["batch"] = n,
                    ["seq_len"] = t,
                    ["precision"] = BackendOptions.PrecisionName(precision),
                    ["calibration"] = precision == RnnPrecision.Int8 ? BenchRunner.Int8CalibrationNote : "none",
                    ["train"] = training,
                    ["threads"] = threadCount,
                    ["callers"] = callerCount,
                    ["outputs"] = training || allocating ? "allocated per call" : "caller buffers",
                    ["cores"] = Environment.ProcessorCount,
                    ["iterations"] = result.Iterations,
                    ["seconds"] = result.Seconds,
                    ["flops_per_batch"] = result.FlopsPerBatch,
                    ["flops_counting"] = training ? "forward+backward counted as 3x forward FLOPs" : "forward FLOPs",
                    ["ms_per_batch"] = result.MsPerBatch,
                    ["seq_per_s"] = result.SequencesPerSecond,
                    ["gflops"] = result.GigaflopsPerSecond,
                    ["latency_ms_p50"] = result.Latency.P50Ms,
                    ["latency_ms_p99"] = result.Latency.P99Ms,
                    ["peak_rss_mb"] = peakRss,
                    ["caller_buffers_mb"] = callerBuffersMb,
                }, JsonOptions));
                return ExitCodes.Success;
            }
            var o = console.Out;
            string threadText = threadCount == 0 ? "all" : threadCount.ToString(CultureInfo.InvariantCulture);
            o.WriteLine(FormattableString.Invariant(
                $"{spec} N={n} T={t} on {backend.Name}, {BackendOptions.PrecisionName(precision)}, callers={callerCount}, threads={threadText} per call, {(training ? "training (forward + backward)" : allocating ? "inference (forward, outputs allocated per call)" : "inference (forward into caller buffers)")}"));
            if (callerCount > 1 && (threadCount == 0 || (long)callerCount * threadCount > Environment.ProcessorCount))
                o.WriteLine(FormattableString.Invariant($"  (callers × threads exceeds the {Environment.ProcessorCount} cores: the calls compete for cores)"));
            if (precision == RnnPrecision.Int8) o.WriteLine($"  ({BenchRunner.Int8CalibrationNote})");
            o.WriteLine(FormattableString.Invariant($"  {result.Iterations} batches in {result.Seconds:F2} s after warm-up"));
            o.WriteLine(FormattableString.Invariant($"  {result.MsPerBatch:F3} ms per batch, {result.SequencesPerSecond:F1} sequences/s, {result.GigaflopsPerSecond:F2} GFLOP/s{(callerCount > 1 ? " (all callers together)" : "")}"));
            o.WriteLine(FormattableString.Invariant($"  latency per call: p50 {result.Latency.P50Ms:F3} ms, p99 {result.Latency.P99Ms:F3} ms"));
            if (peakRss is { } rss)
                o.WriteLine(FormattableString.Invariant($"  peak resident memory {rss:F1} MiB (of which the callers' output buffers {callerBuffersMb:F1} MiB)"));
            if (training) o.WriteLine("  (GFLOP/s counts forward + backward as 3× the forward FLOPs)");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>More callers than this is a typo, not a benchmark: each one is a thread with its own output buffers.</summary>
    private const int MaxCallers = 1024;

    private static int AtLeastOne(int value, string option) =>
        value >= 1 ? value : throw new CliUsageException($"{option} must be at least 1; got {value}.");
}
