namespace RnnNative.Cli;

/// <summary>Where a command writes: results and reports to <see cref="Out"/>, the one-line error to <see cref="Err"/>.</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Err);
