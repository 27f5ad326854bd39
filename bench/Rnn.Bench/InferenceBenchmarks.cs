using BenchmarkDotNet.Attributes;
using RnnNative.Benchmarking;
using RnnNative.Interop;

namespace RnnNative.Bench;

/// <summary>
/// Forward inference of the standard configurations on each native backend present, in each precision it supports.
/// Compare rows within one run (machines are shared and noisy); the ONNX Runtime peer runs beside it in bench/peers.
/// </summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private IRnnExecutor? _executor;
    private RnnInput? _input;

    [ParamsSource(nameof(Configurations))]
    public StandardConfiguration Configuration { get; set; } = StandardConfiguration.All[0];

    [ParamsSource(nameof(Targets))]
    public BackendTarget Target { get; set; } = new("onednn", RnnPrecision.F32);

    public static IEnumerable<StandardConfiguration> Configurations => StandardConfiguration.All;

    /// <summary>
    /// Only native backends present on this machine, in each precision they support (the reference is far too slow here).
    /// Not int8: it runs LSTM only and needs a calibration; <c>rnn bench --precision int8</c> measures it.
    /// </summary>
    public static IEnumerable<BackendTarget> Targets =>
        from b in RnnBackends.All
        where b != RnnBackends.Managed && b.Availability.IsAvailable
        from p in Enum.GetValues<RnnPrecision>()
        where p != RnnPrecision.Int8 && b.Supports(p)
        select new BackendTarget(b.Name, p);

    [GlobalSetup]
    public void Setup()
    {
        var backend = RnnBackends.Get(Target.Backend);
        var spec = Configuration.Spec;
        _executor = backend.CreateExecutor(RnnParameters.InitializeUniform(spec, seed: 1), new RnnExecutorOptions(Target.Precision));
        var rng = new Random(2);
        var x = Tensor.Zeros(Configuration.SeqLen, Configuration.Batch, spec.InputSize);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        _input = new RnnInput(x);
    }

    [Benchmark]
    public float Forward()
    {
        using var result = _executor!.Forward(_input!);
        return result.Output.Data[0];
    }

    [GlobalCleanup]
    public void Cleanup() => _executor?.Dispose();
}
