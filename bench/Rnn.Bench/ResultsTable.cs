using System.Globalization;
using System.Text;
using RnnNative.Bench.Limits;

namespace RnnNative.Bench;

/// <summary>
/// One measured row: what ran, on which target, its mean time per batch (a K-caller round's time ÷ K; the managed
/// reference's short run scaled to the full length), the operations one batch does, and the GEMM ceiling that bounds
/// its precision (null: none applies, as for training).
/// </summary>
public sealed record BenchRow(string Workload, string Configuration, string Target, double MeanNanoseconds, double Operations, GemmPrecision? LimitPrecision = null)
{
    /// <summary>GFLOP/s (GOP/s for int8).</summary>
    public double GigaOperationsPerSecond => Operations / MeanNanoseconds;
}

/// <summary>The batch-inference workload's figure for one contender: sequences per second and how much of the computed work was real.</summary>
public sealed record PredictRow(string Contender, int Records, double Seconds, double PaddingEfficiency, string Batching)
{
    public double SequencesPerSecond => Records / Seconds;
}

/// <summary>Everything a results table shows.</summary>
public sealed record BenchReport(
    IReadOnlyList<BenchRow> Rows,
    IReadOnlyList<ConfigurationLimit> Limits,
    IReadOnlyList<PredictRow> Predict,
    IReadOnlyList<(string Name, string Value)> Environment,
    IReadOnlyList<string> Notes);

/// <summary>
/// The markdown the suite writes to bench/results: ratios first (ONNX Runtime's time over ours, per configuration: above 1
/// is faster than ORT; and the share of this machine's GEMM ceiling each row reaches), absolute figures second, then the
/// ceilings themselves, the machine, the date and the versions.
/// </summary>
public static class ResultsTable
{
    public const string PeerTarget = "onnxruntime-f32";
    public const string PredictPeer = "onnxruntime";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>ORT's time over this row's, for the same configuration; null without a peer row.</summary>
    public static double? TimesOrt(BenchRow row, IReadOnlyList<BenchRow> rows)
    {
        var peer = rows.FirstOrDefault(r => r.Workload == row.Workload && r.Configuration == row.Configuration && r.Target == PeerTarget);
        return peer is null ? null : peer.MeanNanoseconds / row.MeanNanoseconds;
    }

    /// <summary>This row's rate over the ceiling of its configuration and precision, as a fraction; null when there is none.</summary>
    public static double? FractionOfLimit(BenchRow row, IReadOnlyList<ConfigurationLimit> limits)
    {
        if (row.LimitPrecision is not { } precision) return null;
        var limit = limits.FirstOrDefault(l => l.Configuration == row.Configuration && l.Precision == precision);
        return limit is { IsAvailable: true } ? row.GigaOperationsPerSecond * 1e9 / limit.OperationsPerSecond : null;
    }

    public static string Write(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        var rows = report.Rows;
        var inference = rows.Where(r => r.Workload == "inference").ToList();

        md.AppendLine("### Inference: × ONNX Runtime and % of this machine's GEMM limit").AppendLine();
        md.AppendLine("× ORT = ORT's time per batch ÷ ours (above 1 is faster). % of limit = the row's GFLOP/s (GOP/s for int8) ÷ oneDNN's own");
        md.AppendLine("GEMM at the configuration's gate-GEMM shapes in the row's precision, same threads (see \"GEMM limit\" below).").AppendLine();
        md.AppendLine("| configuration | target | × ORT | % of limit |");
        md.AppendLine("|---|---|---:|---:|");
        foreach (var r in inference)
            md.AppendLine($"| {r.Configuration} | {r.Target} | {Ratio(TimesOrt(r, rows))} | {Percent(FractionOfLimit(r, report.Limits), r, report.Limits)} |");

        if (report.Predict.Count > 0)
        {
            var peer = report.Predict.FirstOrDefault(p => p.Contender.StartsWith(PredictPeer, StringComparison.Ordinal));
            md.AppendLine().AppendLine("### Batch inference workload: × ONNX Runtime (sequences/s over ORT's)").AppendLine();
            md.AppendLine("| contender | batching | × ORT | sequences/s | padding efficiency | records | seconds |");
            md.AppendLine("|---|---|---:|---:|---:|---:|---:|");
            foreach (var p in report.Predict)
                md.AppendLine(string.Create(Inv,
                    $"| {p.Contender} | {p.Batching} | {Ratio(peer is null ? null : p.SequencesPerSecond / peer.SequencesPerSecond)} | {p.SequencesPerSecond:0} | {p.PaddingEfficiency:0.000} | {p.Records} | {p.Seconds:0.00} |"));
        }

        md.AppendLine().AppendLine("### Absolute figures (mean per batch; GFLOP/s of the recurrent GEMM work, GOP/s for int8)").AppendLine();
        md.AppendLine("| workload | configuration | target | mean (ms) | GFLOP/s | limit |");
        md.AppendLine("|---|---|---|---:|---:|---:|");
        foreach (var r in rows)
        {
            var limit = r.LimitPrecision is { } p ? report.Limits.FirstOrDefault(l => l.Configuration == r.Configuration && l.Precision == p) : null;
            string limitCell = limit is null ? "–" : limit.IsAvailable ? (limit.OperationsPerSecond / 1e9).ToString("0.0", Inv) : "n/a";
            md.AppendLine(string.Create(Inv, $"| {r.Workload} | {r.Configuration} | {r.Target} | {r.MeanNanoseconds / 1e6:0.00} | {r.GigaOperationsPerSecond:0.0} | {limitCell} |"));
        }

        if (report.Limits.Count > 0)
        {
            md.AppendLine().AppendLine("### GEMM limit (oneDNN's own GEMM at each configuration's gate-GEMM shapes)").AppendLine();
            md.AppendLine("Per layer and direction: the input GEMM M = T·batch, N = G·H, K = layer input, and the recurrent GEMM batched over");
            md.AppendLine("time, M = T·batch, N = G·H, K = H (an RNN must run it as T GEMMs of M = batch, one per step: the limit leaves that");
            md.AppendLine("dependency out, so it is an upper bound). The limit is their operations over the time oneDNN's GEMM takes for that");
            md.AppendLine("list, best of the probe's rounds. Shapes are M×N×K ×count.").AppendLine();
            md.AppendLine("| configuration | GEMM | limit | per shape |");
            md.AppendLine("|---|---|---:|---|");
            foreach (var l in report.Limits)
            {
                string unit = l.Precision.RateUnit();
                string limitCell = l.IsAvailable ? string.Create(Inv, $"{l.OperationsPerSecond / 1e9:0.0} {unit}") : "n/a";
                string shapes = l.IsAvailable
                    ? string.Join("; ", l.Rates.Select(r => string.Create(Inv, $"{r.Shape} ×{r.Shape.Count}: {r.OperationsPerSecond / 1e9:0.0}")))
                    : $"n/a: {l.Unavailable}";
                md.AppendLine($"| {l.Configuration} | {l.Precision.EntryPoint()} | {limitCell} | {shapes} |");
            }
        }

        MachineAndNotesSection.AppendTo(md, report.Environment, report.Notes);
        return md.ToString();
    }

    private static string Ratio(double? ratio) => ratio is { } r ? r.ToString("0.00", Inv) + "×" : "–";

    private static string Percent(double? fraction, BenchRow row, IReadOnlyList<ConfigurationLimit> limits)
    {
        if (fraction is { } f) return (f * 100).ToString("0", Inv) + "%";
        if (row.LimitPrecision is { } p && limits.Any(l => l.Configuration == row.Configuration && l.Precision == p && !l.IsAvailable)) return "n/a";
        return "–";
    }
}
