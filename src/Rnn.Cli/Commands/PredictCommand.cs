using System.CommandLine;
using RnnNative.Cli.Predict;
using RnnNative.Inference;
using RnnNative.Models;

namespace RnnNative.Cli.Commands;

/// <summary>
/// <c>rnn predict</c>: batch inference of a whole model (or a bare RNN layer) over JSONL or Parquet records into a
/// JSONL or Parquet output, crash-safe and resumable, optionally one shard of many; <c>rnn predict merge</c> joins
/// shard outputs back into input order.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Option<string?>("--model") { Description = "A checkpoint written by ModelCheckpoint.Save, a plain PyTorch state_dict (.safetensors), or a bare RNN layer file (the rnn forward format)." };
        var input = new Option<string[]>("--input") { Description = "Input records: .jsonl or .parquet files or globs, read in order; - for JSONL on standard input.", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string?>("--output") { Description = "Output (.jsonl or .parquet): one record per input record, in input order." };
        var backendOptions = new BackendOptions();
        var workers = new Option<int>("--workers") { Description = "Batches run at once over the one shared model.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Threads per batch for the backend (0 = its default)." };
        var window = new Option<int>("--window") { Description = "Records read ahead and sorted by length together (memory is bounded by it); also the records per committed chunk.", DefaultValueFactory = _ => BatchPredictorOptions.Default.Window };
        var maxBatchTokens = new Option<int>("--max-batch-tokens") { Description = "Padded time steps per batch (batch × its longest record).", DefaultValueFactory = _ => BatchPredictorOptions.Default.MaxBatchTokens };
        var maxBatchSize = new Option<int>("--max-batch-size") { Description = "Records per batch.", DefaultValueFactory = _ => BatchPredictorOptions.Default.MaxBatchSize };
        var noBucketing = new Option<bool>("--no-bucketing") { Description = "Batch in arrival order instead of by length (shows what bucketing saves)." };
        var minEfficiency = new Option<double>("--min-batch-efficiency") { Description = "With bucketing, close a batch before its useful ÷ computed time steps would fall under this.", DefaultValueFactory = _ => BatchPredictorOptions.Default.MinBatchPaddingEfficiency };
        var maxLength = new Option<int?>("--max-length") { Description = "Longer records go to the errors file." };
        var maxRecordBytes = new Option<int>("--max-record-bytes") { Description = "A JSONL line longer than this many bytes goes to the errors file without being read (bounds a record's memory).", DefaultValueFactory = _ => PredictSettings.DefaultMaxRecordBytes };
        var maxRowGroupRows = new Option<int>("--max-row-group-rows") { Description = "A Parquet input with a row group of more rows is refused (a row group is read whole; this bounds its memory).", DefaultValueFactory = _ => ParquetRecordReader.DefaultMaxRowGroupRows };
        var errors = new Option<string?>("--errors") { Description = "Bad records (JSONL: id or line, reason); default OUTPUT.errors.jsonl." };
        var maxErrors = new Option<long?>("--max-errors") { Description = "Stop with exit code 3 after more bad records than this (default: no limit)." };
        var summary = new Option<string?>("--summary") { Description = "Write a JSON summary: records, errors, seconds, sequences_per_second, tokens_per_second, padding_efficiency." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress on stderr." };
        var labels = new Option<string?>("--labels") { Description = "Class names, one per line: adds label_name (classifier) or label_names (tagger)." };
        var kind = new Option<string?>("--kind") { Description = "classifier, tagger or generator, for a plain state_dict whose names cannot tell." };
        var mode = new Option<string?>("--mode") { Description = "lstm, gru, rnn_tanh or rnn_relu, where the tensors cannot tell (rnn_relu)." };
        var rnn = new Option<string?>("--rnn") { Description = "The RNN module's name in a state_dict that holds several (encoder.lstm for encoder.lstm.weight_ih_l0, ...)." };
        var probabilities = new Option<bool>("--probabilities") { Description = "Tagger: also write the softmax of every step." };
        var fullOutput = new Option<bool>("--full-output") { Description = "Bare RNN layer: also write every step's output." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Generator: tokens to generate after each record's tokens (encoder-decoder: the longest decoded sequence).", DefaultValueFactory = _ => 20 };
        var sampling = new Option<string>("--sampling") { Description = "Generator: greedy, temperature or top-k.", DefaultValueFactory = _ => "greedy" };
        sampling.AcceptOnlyFromAmong("greedy", "temperature", "top-k");
        var temperature = new Option<double?>("--temperature") { Description = "Generator: softmax temperature for temperature and top-k sampling (default 1)." };
        var topK = new Option<int?>("--top-k") { Description = "Generator: sample among the k most likely tokens (--sampling top-k)." };
        var seed = new Option<int>("--seed") { Description = "Generator: with the record's id, seeds the record's own random stream (results never depend on batching)." };
        var beginToken = new Option<int?>("--begin-token") { Description = "Encoder-decoder: the target token that starts decoding." };
        var endToken = new Option<int?>("--end-token") { Description = "Encoder-decoder: the target token that ends a decoded sequence." };
        var shardIndex = new Option<int?>("--shard-index") { Description = "Run only records with ordinal mod --num-shards = this (from 0)." };
        var numShards = new Option<int?>("--num-shards") { Description = "How many shards the input is split into." };

        var command = new Command("predict", "Batch inference over JSONL or Parquet records: length-bucketed batches, a worker pool, crash-safe resumable output, shards.");
        foreach (var option in new Option[] { model, input, output })
            command.Add(option);
        backendOptions.AddTo(command);
        foreach (var option in new Option[] { workers, threads, window, maxBatchTokens, maxBatchSize, noBucketing, minEfficiency, maxLength, maxRecordBytes, maxRowGroupRows, errors, maxErrors, summary, quiet, labels,
                     kind, mode, rnn, probabilities, fullOutput, maxNewTokens, sampling, temperature, topK, seed, beginToken, endToken, shardIndex, numShards })
            command.Add(option);
        command.Add(CreateMerge(console));

        command.SetAction(parsed =>
        {
            string modelPath = parsed.GetValue(model) ?? throw new CliUsageException("--model is required.");
            string outputPath = parsed.GetValue(output) ?? throw new CliUsageException("--output is required (.jsonl or .parquet).");
            ResultFormat.ForOutput(outputPath);
            string errorsPath = parsed.GetValue(errors) ?? outputPath + ".errors.jsonl";
            string? summaryPath = parsed.GetValue(summary), labelsPath = parsed.GetValue(labels);
            if (!File.Exists(modelPath)) throw new FileNotFoundException($"--model {modelPath}: file not found.", modelPath);
            var paths = new PredictPaths().Writes("--output", outputPath).Writes("--errors", errorsPath).Writes("--summary", summaryPath).WritesRunFiles(outputPath, errorsPath);
            // A glob that also matches this run's own output or errors file would make each re-run read the last one's results.
            var inputs = PredictInput.Expand(parsed.GetValue(input) ?? [], paths.IsWritten);
            if (inputs.Any(i => i.IsStandardInput)) PredictInput.CheckStandardInputIsOpen();
            paths.Reads("--model", modelPath).Reads("--labels", labelsPath);
            foreach (var file in inputs.Where(i => !i.IsStandardInput)) paths.Reads("--input", file.Path);
            paths.Check(summaryPath is null ? [outputPath, errorsPath] : [outputPath, errorsPath, summaryPath]);

            var engine = new BatchPredictorOptions
            {
                Window = AtLeastOne(parsed, window),
                MaxBatchTokens = AtLeastOne(parsed, maxBatchTokens),
                MaxBatchSize = AtLeastOne(parsed, maxBatchSize),
                Workers = AtLeastOne(parsed, workers),
                Bucketing = !parsed.GetValue(noBucketing),
                MinBatchPaddingEfficiency = parsed.GetValue(minEfficiency) is var floor && floor >= 0 && floor <= 1
                    ? floor : throw new CliUsageException($"--min-batch-efficiency {floor}: must be in [0, 1]."),
                MaxLength = parsed.GetValue(maxLength) is { } length ? (length >= 1 ? length : throw new CliUsageException($"--max-length {length}: must be at least 1.")) : null,
            };
            if (parsed.GetValue(threads) is var t && t < 0) throw new CliUsageException($"--threads {t}: must be 0 (the backend's default) or more.");
            if (parsed.GetValue(maxErrors) is < 0) throw new CliUsageException($"--max-errors {parsed.GetValue(maxErrors)}: must be 0 or more.");
            var (strategy, described) = Sampling(parsed.GetValue(sampling)!, parsed.GetValue(temperature), parsed.GetValue(topK));
            int newTokens = parsed.GetValue(maxNewTokens);
            if (newTokens < 0) throw new CliUsageException($"--max-new-tokens {newTokens}: must be 0 or more.");

            var settings = new PredictSettings
            {
                ModelPath = modelPath,
                Inputs = inputs,
                OutputPath = outputPath,
                ErrorsPath = errorsPath,
                SummaryPath = summaryPath,
                LabelsPath = labelsPath,
                Backend = backendOptions.Resolve(parsed),
                Precision = backendOptions.GetPrecision(parsed),
                Threads = t,
                Engine = engine,
                Kind = ParseKind(parsed.GetValue(kind)),
                Mode = ParseMode(parsed.GetValue(mode)),
                Rnn = parsed.GetValue(rnn),
                StepProbabilities = parsed.GetValue(probabilities),
                FullOutput = parsed.GetValue(fullOutput),
                Generation = new GenerationOptions { MaxNewTokens = newTokens, Sampling = strategy, Seed = parsed.GetValue(seed) },
                SamplingDescription = described,
                BeginToken = parsed.GetValue(beginToken),
                EndToken = parsed.GetValue(endToken),
                MaxErrors = parsed.GetValue(maxErrors),
                MaxRecordBytes = AtLeastOne(parsed, maxRecordBytes),
                MaxRowGroupRows = AtLeastOne(parsed, maxRowGroupRows),
                Shard = ShardSelection.Create(parsed.GetValue(shardIndex), parsed.GetValue(numShards)),
                Quiet = parsed.GetValue(quiet),
            };
            return new PredictRunner(settings, console, Console.OpenStandardInput()).RunAsync().GetAwaiter().GetResult();
        });
        return command;
    }

    private static Command CreateMerge(CliConsole console)
    {
        var shards = new Argument<string[]>("shards") { Description = "The outputs of every shard of one run (any order).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output") { Description = "The merged output (.jsonl or .parquet, as the shards)." };
        var errors = new Option<string?>("--errors") { Description = "The merged errors file; default OUTPUT.errors.jsonl." };
        var command = new Command("merge", "Join the outputs of rnn predict --shard-index/--num-shards back into one output in input order.") { shards, output, errors };
        command.SetAction(parsed =>
        {
            string outputPath = parsed.GetValue(output) ?? throw new CliUsageException("--output is required (.jsonl or .parquet).");
            string errorsPath = parsed.GetValue(errors) ?? outputPath + ".errors.jsonl";
            var (records, errorCount) = PredictMerge.Run(parsed.GetValue(shards) ?? [], outputPath, errorsPath);
            console.Out.WriteLine($"merge: {records} records ({errorCount} errors) from {parsed.GetValue(shards)!.Length} shards -> {outputPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static int AtLeastOne(ParseResult parsed, Option<int> option)
    {
        int value = parsed.GetValue(option);
        return value >= 1 ? value : throw new CliUsageException($"{option.Name} {value}: must be at least 1.");
    }

    private static (SamplingStrategy Strategy, string Description) Sampling(string name, double? temperature, int? topK)
    {
        if (name == "greedy")
        {
            if (temperature is not null || topK is not null) throw new CliUsageException("--temperature and --top-k apply to --sampling temperature or top-k.");
            return (SamplingStrategy.Greedy, "greedy");
        }
        double t = temperature ?? 1.0;
        if (!(t > 0) || double.IsInfinity(t)) throw new CliUsageException($"--temperature {t}: must be a positive number.");
        if (name == "temperature")
        {
            if (topK is not null) throw new CliUsageException("--top-k applies to --sampling top-k.");
            return (SamplingStrategy.WithTemperature(t), $"temperature {t:R}");
        }
        int k = topK ?? throw new CliUsageException("--sampling top-k needs --top-k K.");
        if (k < 1) throw new CliUsageException($"--top-k {k}: must be at least 1.");
        return (SamplingStrategy.WithTopK(k, t), $"top-k {k} temperature {t:R}");
    }

    private static ModelKind? ParseKind(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "classifier" => ModelKind.Classifier,
        "tagger" => ModelKind.Tagger,
        "generator" => ModelKind.Generator,
        _ => throw new CliUsageException($"--kind '{text}' is not one of classifier, tagger, generator."),
    };

    private static RnnCellKind? ParseMode(string? text)
    {
        if (text is null) return null;
        return RnnCellKindExtensions.TryParseMode(text, out var cell) ? cell : throw new CliUsageException($"--mode '{text}' is not one of lstm, gru, rnn_tanh, rnn_relu.");
    }
}
