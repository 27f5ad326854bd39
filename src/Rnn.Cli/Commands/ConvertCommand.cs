using System.CommandLine;
using RnnNative.Formats;
using RnnNative.Onnx;

namespace RnnNative.Cli.Commands;

/// <summary>
/// <c>rnn convert</c>: an ONNX model to safetensors. A ready-model graph (embedding → RNN → linear head) becomes a
/// ready-model checkpoint. A graph that is only an RNN becomes an RNN model file. A graph that holds more but is not a
/// ready model is refused with the reason, since its RNN alone would not compute what the model computes, unless the
/// RNN alone is asked for (--bare-layer or --layer).
/// </summary>
internal static class ConvertCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Argument<string>("model") { Description = "The ONNX model (.onnx)." };
        var output = new Option<string>("--output") { Description = "The safetensors file to write.", Required = true };
        var layer = new Option<int?>("--layer") { Description = "Which RNN of the graph to write alone (0 = first), when it has several or to skip the ready model." };
        var bareLayer = new Option<bool>("--bare-layer") { Description = "Write the graph's RNN alone (an RNN model file) even though the graph computes more than it." };

        var command = new Command("convert", "Convert an ONNX model's LSTM/GRU/RNN nodes (or a whole embedding → RNN → linear model) to safetensors.");
        command.Add(model);
        command.Add(output);
        command.Add(layer);
        command.Add(bareLayer);
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
            bool bare = parsed.GetValue(bareLayer) || layerIndex is not null;
            if (!bare && import.Model is { } ready)
            {
                var metadata = ready.Config.ToMetadata();
                SafetensorsWriter.Write(outputPath, ready.Tensors, metadata);
                o.WriteLine($"convert {modelPath}: {ready.Config.Kind} ({import.Layers[0].Parameters.Spec}, vocabulary {ready.Config.VocabularySize}, " +
                            $"{ready.Config.OutputSize} outputs) -> {outputPath}");
                return ExitCodes.Success;
            }
            if (!bare && import.HoldsMoreThanRnns)
            {
                var leftOut = import.OtherOperators.Where(kv => kv.Key != "ConstantOfShape").ToDictionary(kv => kv.Key, kv => kv.Value);
                throw new CliUsageException($"{modelPath} is not a ready model ({import.WhyNotReadyModel}); its RNN alone would leave out " +
                    $"{(leftOut.Count == 0 ? "the embedding lookup" : Describe(leftOut))}. Nothing was written; write the RNN alone with --bare-layer.");
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
