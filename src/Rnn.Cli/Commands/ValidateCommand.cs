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
    internal static Func<IRnnBackend, RnnPrecision, bool, TextWriter, ValidationSummary> Grid { get; set; } = RunValidationGrid;

    private static ValidationSummary RunValidationGrid(IRnnBackend backend, RnnPrecision precision, bool quick, TextWriter output) =>
        ValidationRunner.Run(backend, precision, quick, output);

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
            var summary = Grid(backend, precision, parsed.GetValue(quick), console.Out);
            console.Out.WriteLine(summary.ToString());
            return summary.AllPassed ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
