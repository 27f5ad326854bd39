using System.Globalization;
using System.Text;

namespace RnnNative.Bench;

/// <summary>One measured row: what ran, on which target, its mean time per call and the work one call does.</summary>
public sealed record BenchRow(string Workload, string Configuration, string Target, double MeanNanoseconds, double Flops)
{
    public double GflopsPerSecond => Flops / MeanNanoseconds;
}

/// <summary>
/// The markdown the suite writes to bench/results: ratios first (ONNX Runtime's time over ours, per configuration: above 1
/// is faster than ORT), absolute figures second, then the machine, the date and the versions.
/// </summary>
public static class ResultsTable
{
    public const string PeerTarget = "onnxruntime-f32";

    public static string Write(IReadOnlyList<BenchRow> rows, IReadOnlyList<(string Name, string Value)> environment)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        var inference = rows.Where(r => r.Workload == "inference").ToList();
        var configurations = inference.Select(r => r.Configuration).Distinct().ToList();
        var ours = inference.Select(r => r.Target).Where(t => t != PeerTarget).Distinct().ToList();

        md.AppendLine("### Inference: × ONNX Runtime (ORT time / our time; above 1 is faster)").AppendLine();
        md.AppendLine("| configuration | " + string.Join(" | ", ours) + " |");
        md.AppendLine("|---|" + string.Concat(ours.Select(_ => "---:|")));
        foreach (var c in configurations)
        {
            var peer = inference.FirstOrDefault(r => r.Configuration == c && r.Target == PeerTarget);
            var cells = ours.Select(t =>
            {
                var row = inference.FirstOrDefault(r => r.Configuration == c && r.Target == t);
                return row is null || peer is null ? "–" : (peer.MeanNanoseconds / row.MeanNanoseconds).ToString("0.00", inv) + "×";
            });
            md.AppendLine($"| {c} | " + string.Join(" | ", cells) + " |");
        }

        md.AppendLine().AppendLine("### Absolute figures (mean per call; GFLOP/s of the recurrent GEMM work)").AppendLine();
        md.AppendLine("| workload | configuration | target | mean (ms) | GFLOP/s |");
        md.AppendLine("|---|---|---|---:|---:|");
        foreach (var r in rows)
            md.AppendLine(string.Create(inv, $"| {r.Workload} | {r.Configuration} | {r.Target} | {r.MeanNanoseconds / 1e6:0.00} | {r.GflopsPerSecond:0.0} |"));

        md.AppendLine().AppendLine("### Machine and versions").AppendLine();
        foreach (var (name, value) in environment) md.AppendLine($"- {name}: {value}");
        return md.ToString();
    }
}
