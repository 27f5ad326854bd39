using System.Globalization;
using System.Text;

namespace RnnNative.Bench.CallerMemory;

/// <summary>One K of one round: our child's figures and ORT's, measured one after the other.</summary>
public sealed record CallerMemoryRow(int Round, int Callers, CallerMemoryMeasurement Ours, CallerMemoryMeasurement Ort);

/// <summary>Everything the caller-memory table shows.</summary>
public sealed record CallerMemoryReport(
    IReadOnlyList<CallerMemoryRow> Rows,
    IReadOnlyList<(string Name, string Value)> Environment,
    IReadOnlyList<string> Notes);

/// <summary>
/// The caller-memory run as markdown: every child's figures, then per round the growth of peak resident memory from the
/// fewest to the most callers, in total and without the callers' own buffers (which grow with K by construction, so the
/// second figure is the engine's share), then the machine and the notes.
/// </summary>
public static class CallerMemoryTable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Growth from the round's fewest callers to its most, total and without the callers' buffers; null without both rows.</summary>
    public static (double Total, double WithoutCallerBuffers)? Growth(IReadOnlyList<CallerMemoryRow> rows, int round, Func<CallerMemoryRow, CallerMemoryMeasurement> side)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(side);
        var inRound = rows.Where(r => r.Round == round).ToList();
        if (inRound.Count < 2) return null;
        var fewest = side(inRound.MinBy(r => r.Callers)!);
        var most = side(inRound.MaxBy(r => r.Callers)!);
        return (CallerMemoryMeasurement.Growth(fewest.PeakRssMb, most.PeakRssMb),
            CallerMemoryMeasurement.Growth(fewest.PeakRssWithoutCallerBuffersMb, most.PeakRssWithoutCallerBuffersMb));
    }

    public static string Write(CallerMemoryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = report.Rows;
        var md = new StringBuilder();
        md.AppendLine("### Peak resident memory with K callers of one model: ours and ONNX Runtime").AppendLine();
        md.AppendLine("Each row's figures come from two child processes, ours then ORT's; peak RSS and the callers' buffers in MiB.").AppendLine();
        md.AppendLine("| round | K | ours seq/s | ours peak RSS | ours callers' buffers | ORT seq/s | ORT peak RSS | ORT callers' buffers |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
            md.AppendLine(string.Create(Inv,
                $"| {r.Round} | {r.Callers} | {r.Ours.SequencesPerSecond:0.0} | {r.Ours.PeakRssMb:0.0} | {r.Ours.CallerBuffersMb:0.0} | {r.Ort.SequencesPerSecond:0.0} | {r.Ort.PeakRssMb:0.0} | {r.Ort.CallerBuffersMb:0.0} |"));

        if (rows.Count > 0)
        {
            int fewest = rows.Min(r => r.Callers), most = rows.Max(r => r.Callers);
            md.AppendLine().AppendLine($"### Growth of peak RSS from {fewest} to {most} callers").AppendLine();
            md.AppendLine("| round | ours total | ours without callers' buffers | ORT total | ORT without callers' buffers |");
            md.AppendLine("|---:|---:|---:|---:|---:|");
            foreach (int round in rows.Select(r => r.Round).Distinct())
            {
                var ours = Growth(rows, round, r => r.Ours);
                var ort = Growth(rows, round, r => r.Ort);
                md.AppendLine($"| {round} | {Percent(ours?.Total)} | {Percent(ours?.WithoutCallerBuffers)} | {Percent(ort?.Total)} | {Percent(ort?.WithoutCallerBuffers)} |");
            }
        }

        MachineAndNotesSection.AppendTo(md, report.Environment, report.Notes);
        return md.ToString();
    }

    private static string Percent(double? fraction) => fraction is { } f ? (f * 100).ToString("+0.0;-0.0;0.0", Inv) + " %" : "–";
}
