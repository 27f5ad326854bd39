using RnnNative.Formats;

namespace RnnNative.Cli;

/// <summary>
/// The one place that turns an exception into the CLI's answer: a single line on stderr and an exit code
/// (2 for invalid input, 1 for anything else). Never a stack trace.
/// </summary>
internal static class CliFailures
{
    public static int Report(Exception exception, TextWriter err)
    {
        var (code, message) = Classify(exception);
        err.WriteLine($"rnn: {OneLine(message)}");
        return code;
    }

    private static (int Code, string Message) Classify(Exception e) => e switch
    {
        CliUsageException => (ExitCodes.InvalidInput, e.Message),
        FileFormatException => (ExitCodes.InvalidInput, e.Message),
        FileNotFoundException f => (ExitCodes.InvalidInput, $"file not found: {f.FileName ?? f.Message}"),
        DirectoryNotFoundException => (ExitCodes.InvalidInput, e.Message),
        RnnBackendUnavailableException => (ExitCodes.InvalidInput, e.Message),
        NotSupportedException => (ExitCodes.InvalidInput, e.Message), // a valid request this backend, cell or precision cannot run
        ArgumentException a => (ExitCodes.InvalidInput, WithoutParameterSuffix(a)),
        OutOfMemoryException => (ExitCodes.Failure, "out of memory; try smaller sizes"),
        UnauthorizedAccessException => (ExitCodes.InvalidInput, e.Message),
        IOException => (ExitCodes.Failure, e.Message),
        _ => (ExitCodes.Failure, $"internal error ({e.GetType().Name}): {e.Message}"),
    };

    /// <summary>ArgumentException appends " (Parameter 'x')"; on the command line the message already says what is wrong.</summary>
    public static string WithoutParameterSuffix(ArgumentException e)
    {
        string message = e.Message;
        if (e.ParamName is { } name)
        {
            int at = message.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal);
            if (at >= 0) message = message.Remove(at, $" (Parameter '{name}')".Length);
        }
        return message;
    }

    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
