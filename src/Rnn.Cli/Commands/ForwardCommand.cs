using System.CommandLine;
using RnnNative.Formats;

namespace RnnNative.Cli.Commands;

/// <summary><c>rnn forward</c>: runs a model on .npy inputs and writes Y, h_n and c_n as float32 .npy.</summary>
internal static class ForwardCommand
{
    public static Command Create(CliConsole console)
    {
        var inputs = new ModelInputOptions();
        var backendOptions = new BackendOptions();
        var output = new Option<string>("--output") { Description = "Y (.npy): (T, N, directions·hidden), zeros at padded steps.", Required = true };
        var hn = new Option<string?>("--hn") { Description = "h_n (.npy): (layers·directions, N, hidden)." };
        var cn = new Option<string?>("--cn") { Description = "c_n for LSTM (.npy): (layers·directions, N, hidden)." };

        var command = new Command("forward", "Run a model on an input batch.");
        inputs.AddTo(command);
        backendOptions.AddTo(command);
        command.Add(output);
        command.Add(hn);
        command.Add(cn);
        command.SetAction(parsed =>
        {
            string outputPath = parsed.GetRequiredValue(output);
            string? hnPath = parsed.GetValue(hn), cnPath = parsed.GetValue(cn);
            ModelInputOptions.CheckOutputPath("--output", outputPath);
            ModelInputOptions.CheckOutputPath("--hn", hnPath);
            ModelInputOptions.CheckOutputPath("--cn", cnPath);

            var parameters = inputs.LoadModel(parsed);
            if (cnPath is not null && !parameters.Spec.Cell.HasCellState())
                throw new CliUsageException($"--cn was given, but a {parameters.Spec.Cell.ToModeName()} model has no cell state.");
            var (input, _) = inputs.LoadInput(parsed, parameters.Spec);
            var backend = backendOptions.Resolve(parsed);

            using var executor = backend.CreateExecutor(parameters, inputs.ExecutorOptions(parsed, backendOptions.GetPrecision(parsed)));
            using var result = executor.Forward(input);
            NpyWriter.Write(outputPath, result.Output);
            if (hnPath is not null) NpyWriter.Write(hnPath, result.Hidden);
            if (cnPath is not null) NpyWriter.Write(cnPath, result.Cell!);
            console.Out.WriteLine($"forward {parameters.Spec} on {backend.Name}: Y {result.Output.ShapeString} -> {outputPath}");
            return ExitCodes.Success;
        });
        return command;
    }
}
