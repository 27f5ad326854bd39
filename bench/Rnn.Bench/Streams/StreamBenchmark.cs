using System.Globalization;
using RnnNative.Bench.Limits;
using RnnNative.Managed;
using RnnNative.Streaming;

namespace RnnNative.Bench.Streams;

/// <summary>
/// Stateful streams under rising load: 1,000 and 10,000 streams, each sending one step at a time, and the sustained
/// steps/s while the p99 step latency stays within 5 ms, for (a) ours with cross-stream batching, (b) ours one call per
/// step, (c) ONNX Runtime C# one Run per step with the state fed back. Every server's outputs are checked against the
/// managed reference before any timing. Usage: Rnn.Bench --streams [--quick] [--out FILE].
/// </summary>
internal static class StreamBenchmark
{
    private const double BoundMs = 5;

    public static int Run(IReadOnlyList<string> args, TextWriter log)
    {
        bool quick = args.Contains("--quick");
        int outAt = args.ToList().IndexOf("--out");
        string? outPath = outAt >= 0 && outAt + 1 < args.Count ? args[outAt + 1] : null;
        var backend = RnnBackends.All.FirstOrDefault(b => b.Name == "onednn" && b.Availability.IsAvailable) ?? ManagedBackend.Instance;
        int cores = Environment.ProcessorCount;
        var levelTime = TimeSpan.FromSeconds(quick ? 0.5 : 1.5);
        int[] streamCounts = quick ? [1000] : [1000, 10_000];
        RnnSpec[] specs = [new(RnnCellKind.Lstm, 64, 256), new(RnnCellKind.Gru, 64, 128, numLayers: 2)];
        log.WriteLine($"streams benchmark: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {CpuInfo.Model}, {cores} cores, backend {backend.Name}, p99 bound {BoundMs} ms{(quick ? ", quick (not figures to quote)" : "")}");

        var rows = new List<string>();
        foreach (var spec in specs)
        {
            var parameters = RnnParameters.InitializeUniform(spec, 28);
            var inputs = Random(new Random(3), 256 * spec.InputSize);
            foreach (int streams in streamCounts)
            {
                var sustained = new List<(string Name, LoadLevel? Best, double Saturated)>();
                foreach (var make in Servers(backend, parameters, streams, inputs, cores))
                {
                    using var server = make();
                    Check(server, parameters, inputs);
                    log.WriteLine($"  {spec}, {streams} streams, {server.Name}");
                    LoadRamp.Run(server, double.PositiveInfinity, 1000, 2, TimeSpan.FromSeconds(0.3), TextWriter.Null);   // warm-up, not counted
                    var (best, _) = LoadRamp.Run(server, BoundMs, 2000, 1.25, levelTime, log);
                    double saturated = LoadRamp.Saturated(server, Math.Min(streams, 256), levelTime);
                    log.WriteLine($"    closed loop, 256 streams outstanding: {saturated:F0} steps/s");
                    sustained.Add((server.Name, best, saturated));
                }
                string Cell(LoadLevel? l) => l is null ? "—" : $"{l.Achieved.ToString("N0", CultureInfo.InvariantCulture)} (p99 {l.P99Ms:F2} ms)";
                string Ratio(double x) => double.IsFinite(x) ? $"{x:F1}×" : "—";
                double ratio = sustained[0].Best is { } a && sustained[2].Best is { } c ? a.Achieved / c.Achieved : double.NaN;
                rows.Add($"| {spec} | {streams:N0} | {Cell(sustained[0].Best)} | {Cell(sustained[1].Best)} | {Cell(sustained[2].Best)} | {Ratio(ratio)} | " +
                    string.Join(" / ", sustained.Select(x => x.Saturated.ToString("N0", CultureInfo.InvariantCulture))) + $" | {Ratio(sustained[0].Saturated / sustained[2].Saturated)} |");
            }
        }
        var table = string.Join('\n',
        [
            $"Sustained steps/s at p99 ≤ {BoundMs} ms ({DateTime.UtcNow:yyyy-MM-dd}, {CpuInfo.Model}, {cores} cores; ours on {backend.Name}; ONNX Runtime {OrtPerStepServer.Version}):",
            "",
            "| model | streams | (a) ours, batched | (b) ours, one call per step | (c) ONNX Runtime, one Run per step | (a) ÷ (c) | closed loop, 256 outstanding: (a) / (b) / (c) steps/s | (a) ÷ (c) |",
            "|---|---|---|---|---|---|---|---|",
            .. rows,
        ]);
        log.WriteLine();
        log.WriteLine(table);
        if (outPath is not null) File.WriteAllText(outPath, table + "\n");
        return 0;
    }

    private static IEnumerable<Func<StepServer>> Servers(IRnnBackend backend, RnnParameters parameters, int streams, float[] inputs, int cores)
    {
        int workers = Math.Max(1, cores);
        yield return () => new BatchedStepServer(backend.CreateExecutor(parameters, new RnnExecutorOptions(Threads: 1)),
            new RnnStreamOptions { MaxBatchSize = 128, Concurrency = workers, ThreadsPerCall = 1 }, streams, inputs);
        yield return () => new OursPerStepServer(backend.CreateExecutor(parameters, new RnnExecutorOptions(Threads: 1)), streams, inputs, workers);
        yield return () => new OrtPerStepServer(parameters, streams, inputs, workers);
    }

    /// <summary>Two streams, four interleaved steps each, against each stream's whole sequence on the managed reference.</summary>
    private static void Check(StepServer server, RnnParameters parameters, float[] inputs)
    {
        var spec = parameters.Spec;
        using var reference = ManagedBackend.Instance.CreateExecutor(parameters);
        for (int stream = 0; stream < 2; stream++)
        {
            var x = inputs.AsSpan(stream * 4 * spec.InputSize, 4 * spec.InputSize).ToArray();
            var got = new List<float>();
            for (int t = 0; t < 4; t++) got.AddRange(server.StepNow(stream, x.AsSpan(t * spec.InputSize, spec.InputSize).ToArray()));
            using var whole = reference.Forward(new RnnInput(RnnTensors.Create(x, 4, 1, spec.InputSize)));
            var expected = whole.Output.Span;
            for (int i = 0; i < expected.Length; i++)
                if (!(Math.Abs(got[i] - expected[i]) <= 1e-3))
                    throw new InvalidOperationException($"{server.Name} disagrees with the managed reference on {spec}: element {i} is {got[i]}, expected {expected[i]}; no timing.");
        }
    }

    private static float[] Random(Random rng, int count)
    {
        var values = new float[count];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }
}
