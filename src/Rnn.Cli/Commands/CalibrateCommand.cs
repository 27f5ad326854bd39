using System.CommandLine;
using System.Globalization;
using RnnNative.Formats;

namespace RnnNative.Cli.Commands;

/// <summary>
/// <c>rnn calibrate</c>: runs an LSTM in f32 (managed reference) on sample data, records each layer's activation range
/// (min/max of its input and h at live steps) and writes the model again with its int8 quantization in the metadata,
/// which <c>--precision int8</c> then reads. A bare RNN layer file is calibrated on X.npy (int8.layer{l}.*); a whole
/// model (checkpoint or plain state_dict: embedding → LSTM → fc) on token records in JSONL (rnn.int8.layer{l}.*).
/// </summary>
internal static class CalibrateCommand
{
    public static string DefaultOutput(string model) => Int8ModelCalibration.DefaultOutputPath(model);

    public static Command Create(CliConsole console)
    {
        var inputs = new ModelInputOptions();
        inputs.Model.Description = "The model: a bare RNN layer file, or a whole model (checkpoint or PyTorch state_dict of embedding → LSTM → fc).";
        inputs.Input.Description = "Sample data: X.npy for a bare layer ((T, N, input_size)); token records (.jsonl, {\"id\":..,\"tokens\":[..]}) for a whole model.";
        var output = new Option<string?>("--output") { Description = "The calibrated model (default: MODEL.int8.safetensors beside the model)." };
        var command = new Command("calibrate", "Calibrate an LSTM (a layer file or a whole model) for int8 inference on sample inputs; writes the model with its int8 quantization.");
        inputs.AddTo(command);
        command.Add(output);
        command.SetAction(parsed =>
        {
            string modelPath = parsed.GetRequiredValue(inputs.Model);
            string outputPath = parsed.GetValue(output) ?? DefaultOutput(modelPath);
            ModelInputOptions.CheckOutputPath("--output", outputPath);
            if (Path.GetFullPath(outputPath) == Path.GetFullPath(modelPath))
                throw new CliUsageException("--output must differ from --model: the calibrated model is a new file.");
            var content = SafetensorsReader.Read(modelPath);
            bool bareLayer = content.Tensors.Any(kv => kv.Key == "weight_hh_l0");
            return bareLayer
                ? CalibrateLayer(console, parsed, inputs, modelPath, outputPath)
                : CalibrateModel(console, parsed, inputs, content, modelPath, outputPath);
        });
        return command;
    }

    private static int CalibrateLayer(CliConsole console, ParseResult parsed, ModelInputOptions inputs, string modelPath, string outputPath)
    {
        var parameters = inputs.LoadModel(parsed);
        if (parameters.Spec.Cell != RnnCellKind.Lstm)
            throw new CliUsageException($"int8 runs LSTM inference only; {modelPath} is a {parameters.Spec.Cell.ToModeName()} model (use f32 or bf16).");
        if (IsJsonl(parsed.GetRequiredValue(inputs.Input)))
            throw new CliUsageException($"--model {modelPath} is a bare RNN layer, which reads features: calibrate it on X.npy ((T, N, {parameters.Spec.InputSize})), not on token records.");
        var (input, shape) = inputs.LoadInput(parsed, parameters.Spec);
        var quantization = Int8Calibration.Calibrate(parameters, input);
        RnnModelFile.Save(outputPath, parameters, quantization);
        Report(console, $"calibrated {parameters.Spec} on {shape.Batch} sequence(s) of up to {shape.SeqLen} steps (min/max per layer):", quantization, outputPath);
        return ExitCodes.Success;
    }

    private static int CalibrateModel(CliConsole console, ParseResult parsed, ModelInputOptions inputs, SafetensorsContent content, string modelPath, string outputPath)
    {
        string inputPath = parsed.GetRequiredValue(inputs.Input);
        if (!IsJsonl(inputPath))
            throw new CliUsageException($"--model {modelPath} is a whole model, which reads tokens: calibrate it on token records (.jsonl, one {{\"id\":..,\"tokens\":[..]}} per line).");
        foreach (var (option, given) in new[] { ("--lengths", parsed.GetValue(inputs.Lengths)), ("--h0", parsed.GetValue(inputs.H0)), ("--c0", parsed.GetValue(inputs.C0)), ("--rnn", parsed.GetValue(inputs.Rnn)) })
            if (given is not null) throw new CliUsageException(option == "--rnn"
                ? "--rnn picks one RNN of a file to calibrate on X.npy; a whole model (embedding → RNN → head) has one RNN, found from its names and shapes."
                : $"{option} applies to a bare layer's X.npy; a whole model's records carry their own lengths.");
        int records = 0, tokens = 0;
        var samples = TokenSampleFile.Read(inputPath).Select(t =>
        {
            records++;
            tokens += t.Length;
            return t;
        });
        var quantization = Int8ModelCalibration.Calibrate(content, samples, modelPath);
        Int8ModelCalibration.Save(outputPath, content, quantization);
        Report(console, $"calibrated the LSTM of {modelPath} on {records} record(s), {tokens} token(s) (min/max per layer; embedding and head stay f32):", quantization, outputPath);
        return ExitCodes.Success;
    }

    private static bool IsJsonl(string path) => path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);

    private static void Report(CliConsole console, string heading, Int8Quantization quantization, string outputPath)
    {
        console.Out.WriteLine(heading);
        for (int l = 0; l < quantization.Layers.Count; l++)
        {
            var q = quantization.Layers[l];
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  layer {l}: range [{q.Min:0.####}, {q.Max:0.####}], scale {q.Scale:0.####}, shift {q.Shift:0.####}"));
        }
        console.Out.WriteLine($"-> {outputPath} (run it with --precision int8 --backend onednn)");
    }
}
