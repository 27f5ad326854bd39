using System.Text.Json;

namespace RnnNative.Bench.CallerMemory;

/// <summary>
/// What one child process of the caller-memory run reports, as <c>rnn bench --json</c> names it: throughput of all its
/// callers together, the process's peak resident memory, and the part of it that is the callers' own output buffers.
/// </summary>
public sealed record CallerMemoryMeasurement(double SequencesPerSecond, double PeakRssMb, double CallerBuffersMb)
{
    /// <summary>Peak resident memory less the callers' buffers: what the engine itself needs for K callers.</summary>
    public double PeakRssWithoutCallerBuffersMb => PeakRssMb - CallerBuffersMb;

    /// <summary>The three fields of a JSON line (other fields are ignored); a missing peak (not Linux) is refused.</summary>
    public static CallerMemoryMeasurement FromJson(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var peak = root.GetProperty("peak_rss_mb");
        if (peak.ValueKind != JsonValueKind.Number)
            throw new InvalidOperationException("the child reported no peak resident memory (VmHWM needs Linux)");
        return new CallerMemoryMeasurement(root.GetProperty("seq_per_s").GetDouble(), peak.GetDouble(), root.GetProperty("caller_buffers_mb").GetDouble());
    }

    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, double>
    {
        ["seq_per_s"] = SequencesPerSecond,
        ["peak_rss_mb"] = PeakRssMb,
        ["caller_buffers_mb"] = CallerBuffersMb,
    });

    /// <summary>Growth from <paramref name="from"/> to <paramref name="to"/> as a fraction (0.1 = +10 %).</summary>
    public static double Growth(double from, double to) => to / from - 1;
}
