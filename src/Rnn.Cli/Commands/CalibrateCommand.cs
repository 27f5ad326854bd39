using System.CommandLine;
using System.Globalization;
using RnnNative.Formats;

namespace RnnNative.Cli.Commands;

/// <summary>
/// <c>rnn calibrate</c>: runs an LSTM in f32 (managed reference) on sample data, records each layer's activation range
/// (min/max of its input and h at live steps) and writes the model again with int8.layer{l}.scale/.shift metadata,
/// which <c>--precision int8</c> then reads.
/// </summary>
internal static class CalibrateCommand
{
    public static string DefaultOutput(string model) =>
        (model.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) ? model[..^".safetensors".Length] : model) + ".int8.safetensors";

    public static Command Create(CliConsole console)
    {
        var inputs = new ModelInputOptions();
        var output = new Option<string?>("--output") { Description = "The calibrated model (default: MODEL.int8.safetensors beside the model)." };
        var command = new Command("calibrate", "Calibrate an LSTM for int8 inference on sample inputs; writes the model with its int8 quantization.");
        inputs.AddTo(command);
        command.Add(output);
        command.SetAction(parsed =>
        {
            string modelPath = parsed.GetRequiredValue(inputs.Model);
            string outputPath = parsed.GetValue(output) ?? DefaultOutput(modelPath);
            ModelInputOptions.CheckOutputPath("--output", outputPath);
            if (Path.GetFullPath(outputPath) == Path.GetFullPath(modelPath))
                throw new CliUsageException("--output must differ from --model: the calibrated model is a new file.");
            var parameters = inputs.LoadModel(parsed);
            if (parameters.Spec.Cell != RnnCellKind.Lstm)
                throw new CliUsageException($"int8 runs LSTM inference only; {modelPath} is a {parameters.Spec.Cell.ToModeName()} model (use f32 or bf16).");
            var (input, shape) = inputs.LoadInput(parsed, parameters.Spec);
            var quantization = Int8Calibration.Calibrate(parameters, input);
            RnnModelFile.Save(outputPath, parameters, quantization);
            console.Out.WriteLine($"calibrated {parameters.Spec} on {shape.Batch} sequence(s) of up to {shape.SeqLen} steps (min/max per layer):");
            for (int l = 0; l < quantization.Layers.Count; l++)
            {
                var q = quantization.Layers[l];
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  layer {l}: range [{q.Min:0.####}, {q.Max:0.####}], scale {q.Scale:0.####}, shift {q.Shift:0.####}"));
            }
            console.Out.WriteLine($"-> {outputPath} (run it with --precision int8 --backend onednn)");
            return ExitCodes.Success;
        });
        return command;
    }
}
