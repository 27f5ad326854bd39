namespace RnnNative.Bench.Limits;

/// <summary>What /proc/cpuinfo says about this machine (empty answers where it cannot be read).</summary>
public static class CpuInfo
{
    private static readonly Lazy<string[]> Lines = new(() =>
    {
        try
        {
            return File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        }
        catch (IOException)
        {
            return [];
        }
    });

    public static string Model => Field("model name") ?? "unknown";

    public static IReadOnlySet<string> Flags { get; } =
        (Field("flags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    private static string? Field(string name) =>
        Lines.Value.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains(':'))?.Split(':', 2)[1].Trim();
}
