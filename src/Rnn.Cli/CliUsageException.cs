namespace RnnNative.Cli;

/// <summary>Invalid command-line input found by the CLI itself; reported as one line with exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
