using System.CommandLine;
using RnnNative.Cli.Commands;

namespace RnnNative.Cli;

/// <summary>The <c>rnn</c> tool: parses the command line, runs one command, maps failures to one line and an exit code.</summary>
internal static class CliApp
{
    /// <summary>The whole program, callable in-process (the tests use it): returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var console = new CliConsole(output, error);
        var root = new RootCommand("RnnNative: run PyTorch-compatible RNN, LSTM and GRU models on the managed, oneDNN or cuDNN backend.")
        {
            InfoCommand.Create(console),
            ForwardCommand.Create(console),
            BackwardCommand.Create(console),
            BenchCommand.Create(console),
            ValidateCommand.Create(console),
            CalibrateCommand.Create(console),
            DemoCommand.Create(console),
            SampleCommand.Create(console),
            ConvertCommand.Create(console),
            PredictCommand.Create(console),
            StreamCommand.Create(console),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not { ClearsParseErrors: true })
        {
            // Every parse error, on one line: the first alone can be unhelpful ("Required command was not provided" for a misspelt command).
            error.WriteLine($"rnn: {string.Join(' ', parsed.Errors.Select(e => CliFailures.OneLine(e.Message)).Distinct())} (see rnn --help)");
            return ExitCodes.InvalidInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return CliFailures.Report(e, error);
        }
    }
}
