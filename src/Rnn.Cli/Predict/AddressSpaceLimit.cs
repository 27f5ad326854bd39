namespace RnnNative.Cli.Predict;

/// <summary>
/// oneDNN under an address-space limit (<c>ulimit -v</c>, as HPC sites set): the .NET GC reserves address space for
/// its regions in proportion to the limit, oneDNN's JIT then cannot map the code of a new primitive, and oneDNN
/// crashes inside primitive creation (a segmentation fault, not an error). Measured with a 1,800-record run: a limit
/// of 2.5, 3 or 3.5 GB crashed, 8 GB did not, and 3 GB with DOTNET_GCRegionRange=0x20000000 ran. So a run on oneDNN
/// under a limit is refused in one line unless the GC's range is bounded.
/// </summary>
internal static class AddressSpaceLimit
{
    public static void CheckForOneDnn(string backend)
    {
        if (backend != "onednn" || !OperatingSystem.IsLinux()) return;
        if (Environment.GetEnvironmentVariable("DOTNET_GCRegionRange") is { Length: > 0 } || Environment.GetEnvironmentVariable("COMPlus_GCRegionRange") is { Length: > 0 }) return;
        if (Limit() is not { } bytes) return;
        throw new CliUsageException($"--backend onednn under an address-space limit ({bytes / (1 << 20)} MiB, ulimit -v) needs the .NET GC's reservation bounded, or oneDNN's JIT " +
            "runs out of address space and crashes: set DOTNET_GCRegionRange to at most half the limit (e.g. DOTNET_GCRegionRange=0x40000000 for 1 GiB), lift the limit, or use --backend managed.");
    }

    /// <summary>The soft RLIMIT_AS in bytes, or null when there is none.</summary>
    private static long? Limit()
    {
        const string Limits = "/proc/self/limits";
        if (!File.Exists(Limits)) return null;
        string? line = File.ReadLines(Limits).FirstOrDefault(l => l.StartsWith("Max address space", StringComparison.Ordinal));
        string[] fields = line?["Max address space".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return fields.Length > 0 && long.TryParse(fields[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long soft) ? soft : null;
    }
}
