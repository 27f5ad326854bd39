using RnnNative.Formats;

namespace RnnNative.Cli;

/// <summary>
/// The one place that turns an exception into the CLI's answer: a single line on stderr and an exit code
/// (2 for invalid input, 1 for anything else, a backend's internal error included). Never a stack trace.
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
        // A valid request this backend, cell or precision cannot run: the user can choose another.
        RnnBackendUnsupportedException or NotSupportedException => (ExitCodes.InvalidInput, e.Message),
        // Input reaches a backend only after managed validation, so a native refusal of an argument is this library's bug.
        RnnBackendInvalidArgumentException or RnnBackendInternalException => (ExitCodes.Failure, InternalError((RnnBackendException)e)),
        RnnBackendOutOfMemoryException b => (ExitCodes.Failure, $"the {b.Backend} backend ran out of memory ({b.Message}); try smaller batches or shorter sequences"),
        RnnBackendException b => (ExitCodes.Failure, $"the {b.Backend} backend failed ({b.ErrorCode}, native code {b.NativeCode}): {b.Message}"),
        ArgumentException a => (ExitCodes.InvalidInput, WithoutParameterSuffix(a)),
        OutOfMemoryException => (ExitCodes.Failure, "out of memory; try smaller sizes"),
        UnauthorizedAccessException => (ExitCodes.InvalidInput, e.Message),
        IOException => (ExitCodes.Failure, e.Message),
        _ => (ExitCodes.Failure, $"internal error ({e.GetType().Name}): {e.Message}"),
    };

    private static string InternalError(RnnBackendException e) =>
        $"internal error in the {e.Backend} backend ({e.ErrorCode}, native code {e.NativeCode}): {e.Message}. " +
        "This is a bug in RnnNative, not in your input; please report it with the command that caused it.";

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
