using System.CommandLine;
using RnnNative.Formats;
using RnnNative.Extensibility;

namespace RnnNative.Cli.Commands;

/// <summary>
/// <c>rnn backward</c>: the gradients of sum(Y·DY) + sum(h_n·DHN) + sum(c_n·DCN) with respect to X, h0, c0 and every
/// parameter; parameter gradients are written as safetensors with the model's tensor names.
/// </summary>
internal static class BackwardCommand
{
    public static Command Create(CliConsole console)
    {
        var inputs = new ModelInputOptions();
        var backendOptions = new BackendOptions();
        var gradOutput = new Option<string>("--grad-output") { Description = "DY (.npy), the shape of Y.", Required = true };
        var gradHn = new Option<string?>("--grad-hn") { Description = "DHN (.npy), the shape of h_n; absent means zero." };
        var gradCn = new Option<string?>("--grad-cn") { Description = "DCN (.npy) for LSTM, the shape of c_n; absent means zero." };
        var gradInput = new Option<string>("--grad-input") { Description = "Writes dX (.npy), the shape of X.", Required = true };
        var gradH0 = new Option<string?>("--grad-h0") { Description = "Writes dh0 (.npy)." };
        var gradC0 = new Option<string?>("--grad-c0") { Description = "Writes dc0 (.npy), LSTM only." };
        var gradWeights = new Option<string>("--grad-weights") { Description = "Writes the parameter gradients (.safetensors, the model's tensor names).", Required = true };

        var command = new Command("backward", "Backpropagate through time: gradients of the inputs, initial states and weights.");
        inputs.AddTo(command);
        backendOptions.AddTo(command);
        foreach (var option in new Option[] { gradOutput, gradHn, gradCn, gradInput, gradH0, gradC0, gradWeights }) command.Add(option);
        command.SetAction(parsed =>
        {
            string dxPath = parsed.GetRequiredValue(gradInput), weightsPath = parsed.GetRequiredValue(gradWeights);
            string? dh0Path = parsed.GetValue(gradH0), dc0Path = parsed.GetValue(gradC0);
            ModelInputOptions.CheckOutputPath("--grad-input", dxPath);
            ModelInputOptions.CheckOutputPath("--grad-h0", dh0Path);
            ModelInputOptions.CheckOutputPath("--grad-c0", dc0Path);
            ModelInputOptions.CheckOutputPath("--grad-weights", weightsPath);

            var parameters = inputs.LoadModel(parsed);
            var spec = parameters.Spec;
            if (!spec.Cell.HasCellState())
            {
                if (dc0Path is not null) throw new CliUsageException($"--grad-c0 was given, but a {spec.Cell.ToModeName()} model has no cell state.");
                if (parsed.GetValue(gradCn) is not null) throw new CliUsageException($"--grad-cn was given, but a {spec.Cell.ToModeName()} model has no cell state.");
            }
            var (input, shape) = inputs.LoadInput(parsed, spec);
            var grads = LoadOutputGradients(parsed, spec, shape, gradOutput, gradHn, gradCn);
            var backend = backendOptions.Resolve(parsed);

            using var executor = backend.CreateExecutor(parameters, new RnnExecutorOptions(backendOptions.GetPrecision(parsed)));
            using var forward = executor.Forward(input, RnnMode.Training);
            var result = executor.Backward(forward.Context!, grads);
            NpyWriter.Write(dxPath, result.Input);
            if (dh0Path is not null) NpyWriter.Write(dh0Path, result.InitialHidden);
            if (dc0Path is not null) NpyWriter.Write(dc0Path, result.InitialCell!);
            RnnModelFile.Save(weightsPath, result.Parameters);
            console.Out.WriteLine($"backward {spec} on {backend.Name}: dX {result.Input.ShapeString} -> {dxPath}, parameter gradients -> {weightsPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static RnnOutputGradients LoadOutputGradients(ParseResult parsed, RnnSpec spec, RnnBatchShape shape,
        Option<string> gradOutput, Option<string?> gradHn, Option<string?> gradCn)
    {
        string dyPath = parsed.GetRequiredValue(gradOutput);
        string? dhnPath = parsed.GetValue(gradHn), dcnPath = parsed.GetValue(gradCn);
        var grads = new RnnOutputGradients(
            NpyReader.ReadFloat32(dyPath),
            dhnPath is null ? null : NpyReader.ReadFloat32(dhnPath),
            dcnPath is null ? null : NpyReader.ReadFloat32(dcnPath));
        try
        {
            RnnBatchValidator.ValidateGradients(spec, shape, grads);
            return grads;
        }
        catch (ArgumentException e)
        {
            string prefix = e.ParamName switch
            {
                "gradOutput" => $"--grad-output {dyPath}: ",
                "gradHn" => $"--grad-hn {dhnPath}: ",
                "gradCn" => $"--grad-cn {dcnPath}: ",
                _ => "",
            };
            throw new CliUsageException(prefix + CliFailures.WithoutParameterSuffix(e));
        }
    }
}
