using RnnNative.Benchmarking;

namespace RnnNative.Bench;

/// <summary>
/// The one definition of what every row measures for a configuration: parameters from seed 1, input from seed 2,
/// time-major, full lengths, zero initial state. Ours, the peer and the equality gate all take it from here.
/// </summary>
public static class BenchWorkload
{
    /// <summary>Set by --quick: one configuration for training, few iterations (a smoke run, not figures to quote).</summary>
    public static bool Quick => Environment.GetEnvironmentVariable("RNN_BENCH_QUICK") == "1";

    /// <summary>The thread count every contender gets: all cores.</summary>
    public static int Threads => Environment.ProcessorCount;

    public static RnnParameters Parameters(StandardConfiguration configuration) =>
        RnnParameters.InitializeUniform(configuration.Spec, seed: 1);

    public static Tensor Input(StandardConfiguration configuration)
    {
        var rng = new Random(2);
        var x = Tensor.Zeros(configuration.SeqLen, configuration.Batch, configuration.Spec.InputSize);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>Our native targets present on this machine (oneDNN f32/bf16, cuDNN where there is a GPU); the reference is timed only for scale.</summary>
    public static IEnumerable<BackendTarget> NativeTargets =>
        from b in RnnBackends.All
        where b != RnnBackends.Managed && b.Availability.IsAvailable
        from p in Enum.GetValues<RnnPrecision>()
        // int8 needs a calibration per model and runs LSTM only: rnn bench --precision int8 measures it.
        where b.Supports(p) && p != RnnPrecision.Int8
        select new BackendTarget(b.Name, p);

    public static IRnnExecutor CreateExecutor(BackendTarget target, RnnParameters parameters) =>
        RnnBackends.Get(target.Backend).CreateExecutor(parameters, new RnnExecutorOptions(target.Precision, Threads));
}
