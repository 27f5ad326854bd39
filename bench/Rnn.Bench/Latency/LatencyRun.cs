using System.Diagnostics;
using System.Globalization;
using RnnNative.Bench.Peers;
using RnnNative.Interop.OneDnn;
using RnnNative.Validation;

namespace RnnNative.Bench.Latency;

/// <summary>One row: a case at a thread count, every contender's per-call latency in the same rounds, and the limit.</summary>
public sealed record LatencyRow(LatencyCase Case, int Threads, LatencySample Ours, LatencySample Primitive, LatencySample? Bf16, LatencySample? Bf16Primitive, LatencySample Ort, double LimitSeconds);

/// <summary>p50 and p99 of a contender's calls over all rounds, in seconds.</summary>
public sealed record LatencySample(double P50, double P99, int Calls);

/// <summary>
/// The latency suite (issue 27): each case with 1 and 2 threads, ours through the caller-memory <c>Forward</c> (the
/// automatic path choice, and oneDNN's primitive forced, for the before/after in the same run; and in bf16 where the CPU
/// has AVX-512, automatic and primitive) against ONNX Runtime C#
/// over bound <see cref="Microsoft.ML.OnnxRuntime.OrtValue"/>s, in one process after an equality gate. Rounds alternate
/// the contenders' order; every call is timed on its own.
/// </summary>
public static class LatencyRun
{
    public static IReadOnlyList<LatencyRow> Run(bool quick, TextWriter log)
    {
        double roundSeconds = quick ? 0.02 : 0.25;
        int rounds = quick ? 2 : 6;
        var rows = new List<LatencyRow>();
        foreach (var c in LatencyCase.All)
        foreach (int threads in new[] { 1, 2 }.Where(t => t <= Environment.ProcessorCount))
        {
            var parameters = RnnParameters.InitializeUniform(c.Spec, seed: 1);
            var rng = new Random(2);
            var x = RnnTensors.Zeros(c.Steps, c.Batch, c.Spec.InputSize);
            for (int i = 0; i < x.Length; i++) x.Span[i] = (float)(rng.NextDouble() * 2 - 1);

            using var ours = new OurLatencyCaller(c, parameters, x.Span.ToArray(), threads, SmallBatchPath.Auto, RnnPrecision.F32);
            using var primitive = new OurLatencyCaller(c, parameters, x.Span.ToArray(), threads, SmallBatchPath.Never, RnnPrecision.F32);
            bool hasBf16 = OneDnnBackend.Instance.Supports(RnnPrecision.Bf16);
            using var bf16 = hasBf16 ? new OurLatencyCaller(c, parameters, x.Span.ToArray(), threads, SmallBatchPath.Auto, RnnPrecision.Bf16) : null;
            using var bf16Primitive = hasBf16 ? new OurLatencyCaller(c, parameters, x.Span.ToArray(), threads, SmallBatchPath.Never, RnnPrecision.Bf16) : null;
            using var ort = new OrtRnnPeer(parameters, x, threads);
            // The gate: every contender computes the same function before anything is timed (from zero state).
            ours.Call(carry: false);
            primitive.Call(carry: false);
            bf16?.Call(carry: false);
            bf16Primitive?.Call(carry: false);
            ort.Run();
            PeerAgreement.Require("ours (auto)", c.Name, ort.Output, ours.Output, ValidationTolerance.F32);
            PeerAgreement.Require("ours (primitive)", c.Name, ort.Output, primitive.Output, ValidationTolerance.F32);
            if (bf16 is not null) PeerAgreement.Require("ours (bf16)", c.Name, ort.Output, bf16.Output, ValidationTolerance.Bf16);
            if (bf16Primitive is not null) PeerAgreement.Require("ours (bf16 primitive)", c.Name, ort.Output, bf16Primitive.Output, ValidationTolerance.Bf16);

            var calls = new List<Action> { () => ours.Call(c.CarriesState), () => primitive.Call(c.CarriesState), ort.Run };
            if (bf16 is not null) calls.Add(() => bf16.Call(c.CarriesState));
            if (bf16Primitive is not null) calls.Add(() => bf16Primitive.Call(c.CarriesState));
            var samples = calls.Select(_ => new List<double>()).ToArray();
            for (int k = 0; k < calls.Count; k++) Time(calls[k], roundSeconds / 2, null); // warm-up
            for (int round = 0; round < rounds; round++)
                for (int j = 0; j < calls.Count; j++)
                {
                    int k = (round + j) % calls.Count;
                    Time(calls[k], roundSeconds, samples[k]);
                }
            double bandwidth = CacheBandwidthProbe.BytesPerSecond(c.RecurrentWeightBytes, threads, quick ? 0.01 : 0.05, quick ? 2 : 5);
            double limit = c.Steps * (double)c.RecurrentWeightBytes / bandwidth;
            var row = new LatencyRow(c, threads, Summarize(samples[0]), Summarize(samples[1]), bf16 is null ? null : Summarize(samples[3]),
                bf16Primitive is null ? null : Summarize(samples[4]), Summarize(samples[2]), limit);
            rows.Add(row);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"latency {c.Name,-20} {threads}T  ours {row.Ours.P50 * 1e6,9:0.0} µs  primitive {row.Primitive.P50 * 1e6,9:0.0} µs  ORT {row.Ort.P50 * 1e6,9:0.0} µs  ours/ORT {row.Ours.P50 / row.Ort.P50:0.00}  bf16/ORT {Ratio(row.Bf16, row.Ort)}  bf16 primitive/ORT {Ratio(row.Bf16Primitive, row.Ort)}  limit {limit * 1e6:0.0} µs"));
        }
        return rows;
    }

    private static string Ratio(LatencySample? a, LatencySample b) =>
        a is null ? "—" : (a.P50 / b.P50).ToString("0.00", CultureInfo.InvariantCulture);

    private static void Time(Action call, double seconds, List<double>? samples)
    {
        var round = Stopwatch.StartNew();
        do
        {
            long start = Stopwatch.GetTimestamp();
            call();
            samples?.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        } while (round.Elapsed.TotalSeconds < seconds);
    }

    private static LatencySample Summarize(List<double> samples)
    {
        var sorted = samples.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        return new LatencySample(At(0.5), At(0.99), sorted.Length);
    }

    /// <summary>Our executor with its buffers bound once; with <c>carry</c>, each call starts from the last call's state.</summary>
    private sealed class OurLatencyCaller : IDisposable
    {
        private readonly RnnExecutor _executor;
        private readonly LatencyCase _case;
        private readonly float[] _input, _hidden, _cell, _h0, _c0;
        private readonly int _threads;

        public OurLatencyCaller(LatencyCase c, RnnParameters parameters, float[] input, int threads, SmallBatchPath path, RnnPrecision precision)
        {
            _case = c;
            _input = input;
            _threads = threads;
            _executor = OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(precision, Threads: threads, SmallBatchPath: path));
            var (y, hidden, cell) = RnnOutputBuffers.Sizes(c.Spec, c.Steps, c.Batch);
            Output = new float[y];
            (_hidden, _cell, _h0, _c0) = (new float[hidden], new float[cell], new float[hidden], new float[cell]);
        }

        public float[] Output { get; }

        public void Call(bool carry)
        {
            if (carry)
            {
                _hidden.CopyTo(_h0, 0);
                _cell.CopyTo(_c0, 0);
            }
            var request = new RnnInferenceRequest(_input, _case.Steps, _case.Batch)
            {
                Threads = _threads,
                InitialHidden = carry ? _h0 : default,
                InitialCell = carry && _case.Spec.Cell == RnnCellKind.Lstm ? _c0 : default,
            };
            _executor.Forward(request, new RnnOutputBuffers(Output, _hidden, _cell));
        }

        public void Dispose() => _executor.Dispose();
    }
}
