using System.Globalization;
using System.Runtime.InteropServices;
using RnnNative.Bench.Limits;
using RnnNative.Bench.Peers;
using RnnNative.Cli.Benchmarking;
using RnnNative.Validation;

namespace RnnNative.Bench.CallerMemory;

/// <summary>
/// <c>Rnn.Bench --caller-memory</c>: how peak resident memory grows from 1 to 4 callers of one model on lstm-infer, ours
/// and ONNX Runtime's, measured the same way in the same run. Peak resident memory is a process's high-water mark, so
/// every figure is a child process of its own: ours is the real <c>rnn bench --callers K --threads 1</c>, ORT's is
/// <see cref="OrtCallersChild"/> (one session, K callers, one thread per call). Per K the two alternate, and the whole
/// sequence runs twice, so a drift of the machine shows as a difference between rounds rather than between contenders.
/// Before any child runs, ORT's session, every caller of it, must agree with the managed reference.
/// </summary>
public static class CallerMemoryRun
{
    public static readonly StandardConfiguration Configuration = StandardConfiguration.All.Single(c => c.Name == "lstm-infer");
    public static readonly IReadOnlyList<int> CallerCounts = [1, 2, 4];
    public const int Rounds = 2;
    public const double Seconds = 3;
    public const int ThreadsPerCall = 1;

    public const string OurTool = "rnn";
    public const string SuiteTool = "Rnn.Bench";
    public const string OrtCallersOption = "--ort-callers";

    /// <summary>Our child: the CLI's own benchmark of this configuration with K callers.</summary>
    public static IReadOnlyList<string> OurArguments(int callers) => OurArguments(Text(callers));

    private static IReadOnlyList<string> OurArguments(string callers)
    {
        var spec = Configuration.Spec;
        return
        [
            "bench", "--mode", spec.Cell.ToModeName(), "--input-size", Text(spec.InputSize), "--hidden-size", Text(spec.HiddenSize),
            "--layers", Text(spec.NumLayers), "--batch", Text(Configuration.Batch), "--seq-len", Text(Configuration.SeqLen),
            "--threads", Text(ThreadsPerCall), "--callers", callers, "--seconds", Seconds.ToString(CultureInfo.InvariantCulture), "--json",
        ];
    }

    /// <summary>ORT's child: this suite in its hidden mode.</summary>
    public static IReadOnlyList<string> OrtArguments(int callers) => [OrtCallersOption, Text(callers)];

    /// <summary>The gate, then every child in order; each child's figures are logged as they come.</summary>
    public static CallerMemoryReport Run(bool perturbPeer, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        Gate(perturbPeer, log);
        var rows = new List<CallerMemoryRow>();
        for (int round = 1; round <= Rounds; round++)
        foreach (int callers in CallerCounts)
        {
            var ours = Measure(log, round, callers, "ours", OurTool, OurArguments(callers));
            var ort = Measure(log, round, callers, "ORT", SuiteTool, OrtArguments(callers));
            rows.Add(new CallerMemoryRow(round, callers, ours, ort));
        }
        return new CallerMemoryReport(rows, Environment(), Notes());
    }

    /// <summary>
    /// ORT's session as the child builds it, shared by the most callers the run uses, each calling once: every caller's y
    /// must agree with the managed reference's within the f32 validation tolerance. With <paramref name="perturbPeer"/> the
    /// session gets one changed weight, and the gate must stop the run.
    /// </summary>
    public static void Gate(bool perturbPeer, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var parameters = BenchWorkload.Parameters(Configuration);
        var x = BenchWorkload.Input(Configuration);
        float[] reference;
        using (var managed = RnnBackends.Managed.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.F32, BenchWorkload.Threads)))
        using (var result = managed.Forward(new RnnInput(x)))
            reference = result.Output.Span.ToArray();
        using var session = new OrtSharedSession(perturbPeer ? EqualityGate.Perturbed(parameters) : parameters, x, CallerCounts.Max());
        for (int caller = 0; caller < session.Callers; caller++)
        {
            session.Run(caller);
            string who = $"{BackendTarget.OnnxRuntime} shared session #{caller}";
            var (maxDiff, bound, _) = PeerAgreement.Compare(reference, session.Output(caller), ValidationTolerance.F32);
            log.WriteLine($"gate {Configuration.Name,-13} {who,-36} max|a-ref| = {maxDiff:0.000e+0}  bound {bound:0.000e+0}");
            PeerAgreement.Require(who, Configuration.Name, reference, session.Output(caller), ValidationTolerance.F32);
        }
    }

    private static CallerMemoryMeasurement Measure(TextWriter log, int round, int callers, string who, string tool, IReadOnlyList<string> args)
    {
        var m = CallerMemoryMeasurement.FromJson(ToolBesideSuite.LastLine(ToolBesideSuite.Run(tool, args)));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"caller-memory round {round} K={callers} {who,-4} {m.SequencesPerSecond,7:0.0} seq/s  peak RSS {m.PeakRssMb,6:0.0} MiB  (callers' buffers {m.CallerBuffersMb,5:0.0} MiB)"));
        return m;
    }

    private static List<(string, string)> Environment() =>
    [
        ("date (UTC)", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
        ("CPU", CpuInfo.Model),
        ("logical cores", Text(System.Environment.ProcessorCount)),
        ("OS", RuntimeInformation.OSDescription),
        (".NET", RuntimeInformation.FrameworkDescription),
        ("ONNX Runtime", OrtRnnPeer.Version),
    ];

    private static List<string> Notes()
    {
        var notes = new List<string>
        {
            $"{Configuration.Name}: {Configuration.Spec}, batch {Configuration.Batch}, T {Configuration.SeqLen}, f32; one model shared by K callers, {ThreadsPerCall} thread per call, {Seconds.ToString(CultureInfo.InvariantCulture)} s timed after a warm-up of a tenth of that; seq/s is all callers together.",
            $"ours: `{OurTool} {string.Join(' ', OurArguments("K"))}` (oneDNN, the engine's defaults), each caller with its own y, h_n and c_n allocated once.",
            $"ORT: `{SuiteTool} {OrtCallersOption} K`: one InferenceSession (IntraOpNumThreads 1, InterOpNumThreads 1, sequential, all graph optimizations, ORT's default CPU arena) over the same weights, each caller with its own y bound once as an OrtValue, all callers sharing one input OrtValue; the model has no h_n or c_n output, so ORT's callers' buffers are y alone.",
            "peak RSS: the child's VmHWM (/proc/self/status) at its end, in MiB; each figure is a process of its own, the .NET runtime included in both. Without callers' buffers = peak RSS less the callers' buffers: what the engine itself needs for K callers.",
            $"before the children: every caller of ORT's shared session (K = {CallerCounts.Max()}) agreed with the managed reference on the bench's input within the f32 validation tolerance.",
        };
        if (CallerCounts.Max() * ThreadsPerCall > System.Environment.ProcessorCount)
            notes.Add($"K × threads exceeds the {System.Environment.ProcessorCount} cores at the largest K: the callers compete for cores, so seq/s there measures sharing, not scaling.");
        return notes;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
