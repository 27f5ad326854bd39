using System.Globalization;
using System.Text;
using RnnNative.Bench.Limits;

namespace RnnNative.Bench.Latency;

/// <summary>The latency suite as Markdown: one row per case and thread count, figures from the same run.</summary>
public static class LatencyTable
{
    public static string Write(IReadOnlyList<LatencyRow> rows, bool quick)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine("# Serving latency: ours against ONNX Runtime C#").AppendLine();
        md.AppendLine(inv, $"- date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}; CPU: {CpuInfo.Model}; logical cores: {Environment.ProcessorCount}; ONNX Runtime {Peers.OrtRnnPeer.Version}");
        md.AppendLine(inv, $"- mode: {(quick ? "quick (a smoke run; not figures to quote)" : "full")}; rounds alternate the contenders' order, every call timed alone; p50/p99 over all calls of all rounds");
        md.AppendLine("- ours: the caller-memory `Forward` with `SmallBatchPath.Auto`; primitive: the same executor options with `SmallBatchPath.Never` (oneDNN's RNN primitive, the path before the small-batch one); ORT: its LSTM/GRU over bound `OrtValue`s, same threads (IntraOpNumThreads)");
        md.AppendLine("- limit: the recurrent weights every step reads (W_hh of every layer and direction) × steps ÷ the bandwidth at which this machine re-reads that many bytes with that many threads (CacheBandwidthProbe, same run)");
        md.AppendLine("- one-step rows: ours starts each call from the state the previous call returned; ORT's peer model has no state inputs, so it runs the same step from a zero state (the same arithmetic)").AppendLine();
        md.AppendLine("- bf16: our executor in `RnnPrecision.Bf16` with `SmallBatchPath.Auto`, and with `Never` (bf16 primitive), each checked against ORT's f32 within the bf16 tolerance; — where the CPU has no AVX-512");
        md.AppendLine("- int8: our int8 LSTM executor with `SmallBatchPath.Auto`, and with `Never` (oneDNN's int8 primitive), calibrated on the case's own input, checked against ORT's f32 within the int8 tolerance; — for GRUs (no int8 GRU)").AppendLine();
        md.AppendLine("| case | threads | ours p50 | ours p99 | primitive p50 | bf16 p50 | bf16 primitive p50 | int8 p50 | int8 primitive p50 | ORT p50 | ORT p99 | ours / ORT p50 | primitive / ORT p50 | bf16 / ORT p50 | bf16 primitive / ORT p50 | int8 / ORT p50 | int8 primitive / ORT p50 | limit | ours / limit |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            string Over(LatencySample? a) => a is null ? "—" : (a.P50 / r.Ort.P50).ToString("0.00", inv);
            md.AppendLine(inv, $"| {r.Case.Name} | {r.Threads} | {Us(r.Ours.P50)} | {Us(r.Ours.P99)} | {Us(r.Primitive.P50)} | {Us(r.Bf16)} | {Us(r.Bf16Primitive)} | {Us(r.Int8)} | {Us(r.Int8Primitive)} | {Us(r.Ort.P50)} | {Us(r.Ort.P99)} | {Over(r.Ours)} | {Over(r.Primitive)} | {Over(r.Bf16)} | {Over(r.Bf16Primitive)} | {Over(r.Int8)} | {Over(r.Int8Primitive)} | {Us(r.LimitSeconds)} | {r.Ours.P50 / r.LimitSeconds:0.0}× |");
        }
        return md.ToString();
    }

    private static string Us(LatencySample? sample) => sample is null ? "—" : Us(sample.P50);

    private static string Us(double seconds) => seconds >= 1e-3
        ? (seconds * 1e3).ToString("0.00", CultureInfo.InvariantCulture) + " ms"
        : (seconds * 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " µs";
}
