using System.CommandLine;
using RnnNative.Inference;
using RnnNative.Models;
using RnnNative.Streaming;

namespace RnnNative.Cli.Commands;

/// <summary>
/// <c>rnn stream</c>: stateful streams over JSONL pipes. Each input line is a step event of one stream; each output line
/// answers one event, in input order; the states live in the process between events, and steps of different streams
/// are batched into one call.
/// </summary>
internal static class StreamCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Option<string?>("--model") { Description = "A bare RNN layer file, or a tagger or classifier (checkpoint or PyTorch state_dict .safetensors); unidirectional." };
        var input = new Option<string>("--input") { Description = "Events, JSONL: {\"stream\": KEY, \"features\": [[...], ...]} or {\"stream\": KEY, \"tokens\": [...]}, optionally \"end\": true; - for standard input.", DefaultValueFactory = _ => "-" };
        var output = new Option<string>("--output") { Description = "Answers, JSONL, one per good event in input order: output (bare layer), labels (tagger), label and probabilities (classifier); - for standard output.", DefaultValueFactory = _ => "-" };
        var errors = new Option<string?>("--errors") { Description = "Bad events ({\"line\", \"stream\", \"error\"}) and evictions, JSONL; default standard error." };
        var backendOptions = new BackendOptions();
        var threads = new Option<int>("--threads") { Description = "Threads per executor call (0 = the backend's default).", DefaultValueFactory = _ => 0 };
        var maxBatch = new Option<int>("--max-batch-size") { Description = "Streams per executor call.", DefaultValueFactory = _ => RnnStreamOptions.Default.MaxBatchSize };
        var queueDelay = new Option<int>("--queue-delay-us") { Description = "How long the oldest step may wait for others to join its call, in microseconds (0 = run at once).", DefaultValueFactory = _ => RnnStreamOptions.Default.MaxQueueDelayMicroseconds };
        var concurrency = new Option<int>("--concurrency") { Description = "Executor calls in flight at once (× --threads ≤ cores).", DefaultValueFactory = _ => RnnStreamOptions.Default.Concurrency };
        var idle = new Option<double>("--idle-timeout-s") { Description = "Evict a stream after this many seconds without an event (0 = never).", DefaultValueFactory = _ => RnnStreamOptions.Default.IdleTimeout.TotalSeconds };
        var maxStreams = new Option<int>("--max-streams") { Description = "Live streams kept; past it the least recently used is evicted.", DefaultValueFactory = _ => RnnStreamOptions.Default.MaxLiveStreams };
        var window = new Option<int>("--window") { Description = "Events in flight at once (bounds memory).", DefaultValueFactory = _ => 4096 };
        var kind = new Option<string?>("--kind") { Description = "classifier or tagger, for a plain state_dict whose names cannot tell." };
        var mode = new Option<string?>("--mode") { Description = "lstm, gru, rnn_tanh or rnn_relu, where the tensors cannot tell." };

        var command = new Command("stream", "Stateful streams over JSONL: each event steps one stream from the state its earlier events left; steps of many streams are batched into one call.");
        foreach (var option in new Option[] { model, input, output, errors }) command.Add(option);
        backendOptions.AddTo(command);
        foreach (var option in new Option[] { threads, maxBatch, queueDelay, concurrency, idle, maxStreams, window, kind, mode }) command.Add(option);

        command.SetAction(parsed =>
        {
            string modelPath = parsed.GetValue(model) ?? throw new CliUsageException("--model is required.");
            if (!File.Exists(modelPath)) throw new FileNotFoundException($"--model {modelPath}: file not found.", modelPath);
            string inputPath = parsed.GetValue(input)!;
            if (inputPath != "-" && !File.Exists(inputPath)) throw new FileNotFoundException($"--input {inputPath}: file not found.", inputPath);
            string outputPath = parsed.GetValue(output)!;
            if (outputPath != "-") ModelInputOptions.CheckOutputPath("--output", outputPath);
            string? errorsPath = parsed.GetValue(errors);
            if (errorsPath is not null and not "-") ModelInputOptions.CheckOutputPath("--errors", errorsPath);
            int t = parsed.GetValue(threads);
            if (t < 0) throw new CliUsageException($"--threads {t}: must be 0 (the backend's default) or more.");
            double idleSeconds = parsed.GetValue(idle);
            if (!(idleSeconds >= 0) || double.IsInfinity(idleSeconds)) throw new CliUsageException($"--idle-timeout-s {idleSeconds}: must be 0 (never) or a positive number of seconds.");
            int delay = parsed.GetValue(queueDelay);
            if (delay < 0) throw new CliUsageException($"--queue-delay-us {delay}: must be 0 or more.");

            var modelOptions = new InferenceModelOptions
            {
                Backend = backendOptions.Resolve(parsed),
                Executor = new RnnExecutorOptions(backendOptions.GetPrecision(parsed), t),
                Kind = parsed.GetValue(kind)?.Trim().ToLowerInvariant() switch
                {
                    null => null,
                    "classifier" => ModelKind.Classifier,
                    "tagger" => ModelKind.Tagger,
                    var other => throw new CliUsageException($"--kind '{other}': streams run a classifier or a tagger (or a bare layer file)."),
                },
                Mode = parsed.GetValue(mode) is { } m
                    ? RnnCellKindExtensions.TryParseMode(m, out var cell) ? cell : throw new CliUsageException($"--mode '{m}' is not one of lstm, gru, rnn_tanh, rnn_relu.")
                    : null,
            };
            var streamOptions = new RnnStreamOptions
            {
                MaxBatchSize = AtLeastOne(parsed, maxBatch),
                MaxQueueDelayMicroseconds = delay,
                Concurrency = AtLeastOne(parsed, concurrency),
                IdleTimeout = idleSeconds == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(idleSeconds),
                MaxLiveStreams = AtLeastOne(parsed, maxStreams),
            };
            var settings = new StreamSettings(modelPath, inputPath, outputPath, errorsPath, modelOptions, streamOptions, AtLeastOne(parsed, window));
            return new StreamRunner(settings, console, Console.In).RunAsync().GetAwaiter().GetResult();
        });
        return command;
    }

    private static int AtLeastOne(ParseResult parsed, Option<int> option)
    {
        int value = parsed.GetValue(option);
        return value >= 1 ? value : throw new CliUsageException($"{option.Name} {value}: must be at least 1.");
    }
}
