using System.Diagnostics;

namespace RnnNative.Bench;

/// <summary>
/// A program copied beside the suite's own build (the <c>rnn</c> CLI, which the suite references, or the suite's own
/// apphost), run as a child process to its exit: as a user runs it (start-up included in its wall time), and as a
/// process of its own, so its peak resident memory is its own and no earlier measurement's.
/// </summary>
public static class ToolBesideSuite
{
    /// <summary>The child's standard output; a non-zero exit stops the run with the child's message.</summary>
    public static string Run(string tool, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, tool)) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited with {process.ExitCode}: {stderr.Result.Trim()}");
        return stdout;
    }

    /// <summary>The last non-empty line a child printed (the JSON line both children end with).</summary>
    public static string LastLine(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
        ?? throw new InvalidOperationException("the child printed nothing");
}
