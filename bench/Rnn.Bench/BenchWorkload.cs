using RnnNative.Cli.Benchmarking;
using System.Numerics.Tensors;

namespace RnnNative.Bench;

/// <summary>
/// The one definition of what every row measures for a configuration: parameters from seed 1, input from seed 2,
/// time-major, full lengths, zero initial state; int8 calibrated (min/max) on that same input. Ours, the peer and the
/// equality gate all take it from here.
/// </summary>
public static class BenchWorkload
{
    /// <summary>Set by --quick: one configuration for training, few iterations (a smoke run, not figures to quote).</summary>
    public static bool Quick => Environment.GetEnvironmentVariable("RNN_BENCH_QUICK") == "1";

    /// <summary>The thread count every contender gets: all cores.</summary>
    public static int Threads => Environment.ProcessorCount;

    public const string Int8CalibrationNote = "int8: calibrated (min/max per layer) on the benchmark's own seeded input";

    public static RnnParameters Parameters(StandardConfiguration configuration) =>
        RnnParameters.InitializeUniform(configuration.Spec, seed: 1);

    /// <summary>The input (T, N, I); with <paramref name="steps"/>, its first steps only (the same values).</summary>
    public static Tensor<float> Input(StandardConfiguration configuration, int? steps = null)
    {
        int t = steps ?? configuration.SeqLen;
        var rng = new Random(2);
        var x = RnnTensors.Zeros(t, configuration.Batch, configuration.Spec.InputSize);
        for (int i = 0; i < x.Length; i++) x.Span[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>Our native targets present on this machine (oneDNN f32/bf16/int8, cuDNN where there is a GPU), one caller each.</summary>
    public static IEnumerable<BackendTarget> NativeTargets =>
        from b in RnnBackends.All
        where b != RnnBackends.Managed && b.Availability.IsAvailable
        from p in Enum.GetValues<RnnPrecision>()
        where b.Supports(p)
        select new BackendTarget(b.Name, p);

    /// <summary>
    /// K callers sharing one executor, each call with cores/K threads, for K = 2, 4, … up to the cores (f32 on the
    /// CPU backends): the same cores as the 1-caller row, split across batches instead of inside one.
    /// </summary>
    public static IEnumerable<BackendTarget> ConcurrentTargets =>
        from t in NativeTargets
        where t.Precision == RnnPrecision.F32 && t.Backend != "cudnn"
        from k in Enumerable.Range(1, 12).Select(i => 1 << i).TakeWhile(k => k <= Threads)
        select t with { Callers = k };

    /// <summary>Whether a target can run a configuration (int8 runs LSTM inference only).</summary>
    public static bool CanRun(BackendTarget target, StandardConfiguration configuration) =>
        target.Precision != RnnPrecision.Int8 || configuration.Spec.Cell == RnnCellKind.Lstm;

    /// <summary>Every timed inference row: the peer, ours at one caller, ours shared by several, and the managed reference for scale.</summary>
    public static IEnumerable<InferenceCase> InferenceCases(IEnumerable<StandardConfiguration> configurations) =>
        from c in configurations
        from t in new[] { BackendTarget.OnnxRuntime }.Concat(NativeTargets).Concat(ConcurrentTargets).Append(BackendTarget.Managed)
        where CanRun(t, c)
        select new InferenceCase(c, t);

    /// <summary>The executor a target runs with; int8 is calibrated here, on <see cref="Input"/>, outside any timing.</summary>
    public static RnnExecutor CreateExecutor(BackendTarget target, StandardConfiguration configuration, RnnParameters parameters)
    {
        var options = new RnnExecutorOptions(target.Precision, target.ThreadsPerCall);
        if (target.Precision == RnnPrecision.Int8)
            options = options with { Quantization = Calibration(configuration, parameters) };
        return RnnBackends.Get(target.Backend).CreateExecutor(parameters, options);
    }

    public static Int8Quantization Calibration(StandardConfiguration configuration, RnnParameters parameters) =>
        Int8Calibration.Calibrate(parameters, new RnnInput(Input(configuration)));
}
