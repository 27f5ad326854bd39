using System.Diagnostics;
using System.Globalization;
using RnnNative.Bench.Peers;
using RnnNative.Interop.OneDnn;
using RnnNative.Validation;

namespace RnnNative.Bench.Latency;

/// <summary>One row: a case at a thread count, every contender's per-call latency in the same rounds, and the limit.</summary>
public sealed record LatencyRow(LatencyCase Case, int Threads, LatencySample Ours, LatencySample Primitive, LatencySample? Bf16,
    LatencySample? Bf16Primitive, LatencySample? Int8, LatencySample? Int8Primitive, LatencySample Ort, double LimitSeconds);

/// <summary>p50 and p99 of a contender's calls over all rounds, in seconds.</summary>
public sealed record LatencySample(double P50, double P99, int Calls);

/// <summary>
/// The latency suite (issue 27): each case with 1 and 2 threads, ours through the caller-memory <c>Forward</c> (the
/// automatic path choice, and oneDNN's primitive forced, for the before/after in the same run; and in bf16 where the CPU
/// has AVX-512, automatic and primitive; int8 for the LSTMs, calibrated on the case's input, automatic and primitive) against ONNX Runtime C#
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

            // Contenders in timing order; each must agree with ORT (from zero state) before anything is timed.
            using var ort = new OrtRnnPeer(parameters, x, threads);
            var callers = new List<(string Name, OurLatencyCaller Caller, double Tolerance)>
            {
                ("ours (auto)", Ours(SmallBatchPath.Auto, RnnPrecision.F32), ValidationTolerance.F32),
                ("ours (primitive)", Ours(SmallBatchPath.Never, RnnPrecision.F32), ValidationTolerance.F32),
            };
            if (OneDnnBackend.Instance.Supports(RnnPrecision.Bf16))
            {
                callers.Add(("ours (bf16)", Ours(SmallBatchPath.Auto, RnnPrecision.Bf16), ValidationTolerance.Bf16));
                callers.Add(("ours (bf16 primitive)", Ours(SmallBatchPath.Never, RnnPrecision.Bf16), ValidationTolerance.Bf16));
            }
            if (c.Spec.Cell == RnnCellKind.Lstm)
            {
                // int8 runs LSTM inference only; calibrated on the case's own input.
                var quantization = Int8Calibration.Calibrate(parameters, new RnnInput(x));
                var tolerance = ValidationTolerance.Int8(parameters, quantization);
                callers.Add(("ours (int8)", Ours(SmallBatchPath.Auto, RnnPrecision.Int8, quantization), tolerance));
                callers.Add(("ours (int8 primitive)", Ours(SmallBatchPath.Never, RnnPrecision.Int8, quantization), tolerance));
            }
            try
            {
                ort.Run();
                foreach (var (name, caller, tolerance) in callers)
                {
                    caller.Call(carry: false);
                    PeerAgreement.Require(name, c.Name, ort.Output, caller.Output, tolerance);
                }

                var calls = new List<Action> { ort.Run };
                calls.AddRange(callers.Select(k => (Action)(() => k.Caller.Call(c.CarriesState))));
                var samples = calls.Select(_ => new List<double>()).ToArray();
                for (int k = 0; k < calls.Count; k++) Time(calls[k], roundSeconds / 2, null); // warm-up
                for (int round = 0; round < rounds; round++)
                    for (int j = 0; j < calls.Count; j++)
                    {
                        int k = (round + j) % calls.Count;
                        Time(calls[k], roundSeconds, samples[k]);
                    }
                LatencySample? Of(string name) => callers.FindIndex(k => k.Name == name) is int i and >= 0 ? Summarize(samples[i + 1]) : null;

                double bandwidth = CacheBandwidthProbe.BytesPerSecond(c.RecurrentWeightBytes, threads, quick ? 0.01 : 0.05, quick ? 2 : 5);
                double limit = c.Steps * (double)c.RecurrentWeightBytes / bandwidth;
                var row = new LatencyRow(c, threads, Of("ours (auto)")!, Of("ours (primitive)")!, Of("ours (bf16)"), Of("ours (bf16 primitive)"),
                    Of("ours (int8)"), Of("ours (int8 primitive)"), Summarize(samples[0]), limit);
                rows.Add(row);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"latency {c.Name,-20} {threads}T  ours {row.Ours.P50 * 1e6,9:0.0} µs  primitive {row.Primitive.P50 * 1e6,9:0.0} µs  ORT {row.Ort.P50 * 1e6,9:0.0} µs  ours/ORT {row.Ours.P50 / row.Ort.P50:0.00}  bf16/ORT {Ratio(row.Bf16, row.Ort)}  bf16 primitive/ORT {Ratio(row.Bf16Primitive, row.Ort)}  int8/ORT {Ratio(row.Int8, row.Ort)}  int8 primitive/ORT {Ratio(row.Int8Primitive, row.Ort)}  limit {limit * 1e6:0.0} µs"));
            }
            finally
            {
                foreach (var (_, caller, _) in callers) caller.Dispose();
            }

            OurLatencyCaller Ours(SmallBatchPath path, RnnPrecision precision, Int8Quantization? quantization = null) =>
                new(c, parameters, x.Span.ToArray(), threads, path, precision, quantization);
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

        public OurLatencyCaller(LatencyCase c, RnnParameters parameters, float[] input, int threads, SmallBatchPath path, RnnPrecision precision,
            Int8Quantization? quantization)
        {
            _case = c;
            _input = input;
            _threads = threads;
            _executor = OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(precision, Threads: threads, Quantization: quantization, SmallBatchPath: path));
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
