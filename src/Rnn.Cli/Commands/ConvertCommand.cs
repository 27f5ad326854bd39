using System.CommandLine;
using RnnNative.Formats;
using RnnNative.Onnx;

namespace RnnNative.Cli.Commands;

/// <summary>
/// <c>rnn convert</c>: an ONNX model to safetensors. A ready-model graph (embedding → RNN → linear head) becomes a
/// ready-model checkpoint; otherwise one RNN layer of the graph becomes an RNN model file, and the command says what
/// else the graph contained.
/// </summary>
internal static class ConvertCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Argument<string>("model") { Description = "The ONNX model (.onnx)." };
        var output = new Option<string>("--output") { Description = "The safetensors file to write.", Required = true };
        var layer = new Option<int?>("--layer") { Description = "Which RNN of the graph to write (0 = first), when it has several or to skip the ready model." };

        var command = new Command("convert", "Convert an ONNX model's LSTM/GRU/RNN nodes (or a whole embedding → RNN → linear model) to safetensors.");
        command.Add(model);
        command.Add(output);
        command.Add(layer);
        command.SetAction(parsed =>
        {
            string modelPath = parsed.GetRequiredValue(model);
            string outputPath = parsed.GetRequiredValue(output);
            int? layerIndex = parsed.GetValue(layer);
            ModelInputOptions.CheckOutputPath("--output", outputPath);

            var import = OnnxModelImporter.Import(modelPath);
            if (import.Layers.Count == 0)
                throw new CliUsageException($"{modelPath} has no LSTM, GRU or RNN node (operators: {Describe(import.OtherOperators)}).");
            var o = console.Out;
            if (layerIndex is null && import.Model is { } ready)
            {
                var metadata = ready.Config.ToMetadata();
                SafetensorsWriter.Write(outputPath, ready.Tensors, metadata);
                o.WriteLine($"convert {modelPath}: {ready.Config.Kind} ({import.Layers[0].Parameters.Spec}, vocabulary {ready.Config.VocabularySize}, " +
                            $"{ready.Config.OutputSize} outputs) -> {outputPath}");
                return ExitCodes.Success;
            }
            if (layerIndex is null && import.Layers.Count > 1)
                throw new CliUsageException($"{modelPath} has {import.Layers.Count} separate RNNs ({string.Join("; ", import.Layers.Select((l, i) => $"{i}: {l.Parameters.Spec}"))}); choose one with --layer.");
            int index = layerIndex ?? 0;
            if (index < 0 || index >= import.Layers.Count)
                throw new CliUsageException($"--layer {index} is out of range; {modelPath} has {import.Layers.Count} RNN(s) (0 to {import.Layers.Count - 1}).");
            var chosen = import.Layers[index];
            RnnModelFile.Save(outputPath, chosen.Parameters);
            o.WriteLine($"convert {modelPath}: {chosen.Parameters.Spec}{(chosen.BatchFirst ? ", batch-first" : "")} from node(s) {string.Join(", ", chosen.NodeNames)} -> {outputPath}");
            if (import.OtherOperators.Count > 0) o.WriteLine($"  the graph also holds (not converted): {Describe(import.OtherOperators)}");
            if (import.WhyNotReadyModel is { } why) o.WriteLine($"  not a ready model: {why}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Describe(IReadOnlyDictionary<string, int> operators) =>
        operators.Count == 0 ? "none" : string.Join(", ", operators.Select(kv => kv.Value == 1 ? kv.Key : $"{kv.Key} ×{kv.Value}"));
}
