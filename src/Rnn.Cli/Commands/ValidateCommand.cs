using System.CommandLine;
using RnnNative.Validation;

namespace RnnNative.Cli.Commands;

/// <summary>
/// <c>rnn validate</c>: runs the validation grid (every backend checked against the managed reference) on one backend
/// and precision, printing one line per group and then "N passed, N failed" (cases the backend refuses as unsupported are
/// listed with the reason and counted apart); exit 0 only when nothing failed.
/// </summary>
internal static class ValidateCommand
{
    /// <summary>The grid to run; tests replace it with a stand-in.</summary>
    internal static Func<IRnnBackend, RnnPrecision, bool, TextWriter, (int Passed, int Failed)> Grid { get; set; } = RunValidationGrid;

    private static (int Passed, int Failed) RunValidationGrid(IRnnBackend backend, RnnPrecision precision, bool quick, TextWriter output)
    {
        var summary = ValidationRunner.Run(backend, precision, quick, output);
        return (summary.Passed, summary.Failed);
    }

    public static Command Create(CliConsole console)
    {
        var backendOptions = new BackendOptions();
        var quick = new Option<bool>("--quick") { Description = "A smaller grid that still covers every cell, layout and feature." };
        var command = new Command("validate", "Check a backend against the managed reference over the validation grid.");
        backendOptions.AddTo(command);
        command.Add(quick);
        command.SetAction(parsed =>
        {
            var backend = backendOptions.Resolve(parsed);
            var precision = backendOptions.GetPrecision(parsed);
            console.Out.WriteLine($"Validating {backend.Name} ({BackendOptions.PrecisionName(precision)}) against the managed reference{(parsed.GetValue(quick) ? " (quick grid)" : "")}");
            var (passed, failed) = Grid(backend, precision, parsed.GetValue(quick), console.Out);
            console.Out.WriteLine($"{passed} passed, {failed} failed");
            return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
