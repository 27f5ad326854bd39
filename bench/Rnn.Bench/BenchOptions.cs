using System.Globalization;

namespace RnnNative.Bench;

/// <summary>
/// The suite's command line, checked once. <c>--short</c> is the demo's run (<see cref="ShortRun"/>): inference rows only, a
/// plain timed loop per row. <c>--predict-only</c> runs the batch-inference workload alone (its gate and its rows).
/// <c>--caller-memory</c> compares peak resident memory from 1 to 4 callers, ours and ORT's, each figure a child process
/// (<see cref="CallerMemory.CallerMemoryRun"/>); <c>--ort-callers K</c> is its ORT child, not meant to be typed.
/// <c>--latency</c> runs the serving-latency suite (<see cref="Latency.LatencyRun"/>) alone.
/// </summary>
public sealed record BenchOptions(bool Quick, bool PerturbPeer, string? Out, int? Records, string? WritePredictWorkload, bool Short = false, bool PredictOnly = false,
    bool CallerMemory = false, int? OrtCallers = null, bool Latency = false)
{
    /// <summary>The options, or null with <paramref name="error"/> saying what is wrong.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        bool quick = false, perturb = false, shortRun = false, predictOnly = false, callerMemory = false, latency = false;
        string? output = null, workload = null;
        int? records = null, ortCallers = null;
        for (int i = 0; i < args.Count; i++)
        {
            string? Value() => i + 1 < args.Count ? args[++i] : null;
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--short": shortRun = true; break;
                case "--predict-only": predictOnly = true; break;
                case "--perturb-peer": perturb = true; break;
                case "--caller-memory": callerMemory = true; break;
                case "--latency": latency = true; break;
                case "--ort-callers":
                    if (!int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out int k) || k < 1)
                    {
                        error = "--ort-callers needs a positive integer";
                        return null;
                    }
                    ortCallers = k;
                    break;
                case "--out":
                    if ((output = Value()) is null) { error = "--out needs a file"; return null; }
                    break;
                case "--write-predict-workload":
                    if ((workload = Value()) is null) { error = "--write-predict-workload needs a folder"; return null; }
                    break;
                case "--records":
                    if (!int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
                    {
                        error = "--records needs a positive integer";
                        return null;
                    }
                    records = n;
                    break;
                default:
                    error = $"unexpected: {args[i]}";
                    return null;
            }
        }
        if ((quick ? 1 : 0) + (shortRun ? 1 : 0) + (predictOnly ? 1 : 0) > 1)
        {
            error = "--quick, --short and --predict-only are different runs; give one";
            return null;
        }
        // The caller-memory run times no suite rows and writes no workload: options of those runs would be silently ignored.
        if (callerMemory && (quick || shortRun || predictOnly || records is not null || workload is not null || ortCallers is not null))
        {
            error = "--caller-memory is a run of its own; only --out and --perturb-peer go with it";
            return null;
        }
        if (ortCallers is not null && args.Count != 2)
        {
            error = "--ort-callers is the caller-memory run's child; give it alone";
            return null;
        }
        // The latency suite is a run of its own too; --quick shortens it.
        if (latency && (shortRun || predictOnly || callerMemory || records is not null || workload is not null || ortCallers is not null))
        {
            error = "--latency is a run of its own; only --quick and --out go with it";
            return null;
        }
        error = null;
        return new BenchOptions(quick, perturb, output, records, workload, shortRun, predictOnly, callerMemory, ortCallers, latency);
    }
}
