namespace RnnNative.Cli.Benchmarking;

/// <summary>
/// The process's peak resident memory so far (the kernel's high-water mark, VmHWM in /proc/self/status): what a
/// benchmark run needed at its largest, including memory the backend allocates outside the managed heap.
/// </summary>
internal static class PeakResidentMemory
{
    private const string StatusFile = "/proc/self/status";

    /// <summary>Peak resident set in MiB, or null where the kernel does not report it (not Linux).</summary>
    public static double? Megabytes()
    {
        if (!File.Exists(StatusFile)) return null;
        foreach (string line in File.ReadLines(StatusFile))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) return ParseKilobytes(line["VmHWM:".Length..]) / 1024.0;
        return null;
    }

    /// <summary>A status value such as "   123456 kB".</summary>
    public static long ParseKilobytes(string value)
    {
        var parts = value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || parts[1] != "kB" || !long.TryParse(parts[0], out long kb))
            throw new FormatException($"'{value.Trim()}' is not a size in kB");
        return kb;
    }
}
