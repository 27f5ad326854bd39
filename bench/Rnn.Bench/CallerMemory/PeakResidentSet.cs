namespace RnnNative.Bench.CallerMemory;

/// <summary>
/// This process's peak resident memory so far (the kernel's high-water mark, VmHWM in /proc/self/status), read the way
/// <c>rnn bench</c> reports its own, so the two children of the caller-memory run report the same quantity.
/// </summary>
public static class PeakResidentSet
{
    private const string StatusFile = "/proc/self/status";
    private const string Field = "VmHWM:";

    /// <summary>Peak resident set in MiB, or null where the kernel does not report it (not Linux).</summary>
    public static double? Megabytes()
    {
        if (!File.Exists(StatusFile)) return null;
        foreach (string line in File.ReadLines(StatusFile))
            if (line.StartsWith(Field, StringComparison.Ordinal)) return Kilobytes(line[Field.Length..]) / 1024.0;
        return null;
    }

    /// <summary>A status value such as "   123456 kB".</summary>
    public static long Kilobytes(string value)
    {
        var parts = value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || parts[1] != "kB" || !long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long kb))
            throw new FormatException($"'{value.Trim()}' is not a size in kB");
        return kb;
    }
}
