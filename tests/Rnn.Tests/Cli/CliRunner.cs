using RnnNative.Cli;

namespace RnnNative.Tests.Cli;

/// <summary>What one in-process run of the <c>rnn</c> tool produced.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Err)
{
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Runs the tool's real entry point (<see cref="CliApp.Run"/>) in-process with captured output.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        int code = CliApp.Run(args, output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
