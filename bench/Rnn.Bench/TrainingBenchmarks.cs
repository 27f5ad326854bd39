using BenchmarkDotNet.Attributes;
using RnnNative.Cli.Benchmarking;

namespace RnnNative.Bench;

/// <summary>One training step's recurrent work, forward in training mode then backward from dL/dy = 1, on our native targets (no peer trains in C# here).</summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private RnnExecutor? _executor;
    private RnnInput? _input;
    private RnnOutputGradients? _gradients;

    [ParamsSource(nameof(Configurations))]
    public StandardConfiguration Configuration { get; set; } = StandardConfiguration.All[0];

    [ParamsSource(nameof(Targets))]
    public BackendTarget Target { get; set; } = new("onednn", RnnPrecision.F32);

    public static IEnumerable<StandardConfiguration> Configurations =>
        BenchWorkload.Quick ? StandardConfiguration.All.Take(1) : StandardConfiguration.All;

    /// <summary>Our native targets that train (int8 is inference only).</summary>
    public static IEnumerable<BackendTarget> Targets => BenchWorkload.NativeTargets.Where(t => t.Precision != RnnPrecision.Int8);

    [GlobalSetup]
    public void Setup()
    {
        _executor = BenchWorkload.CreateExecutor(Target, Configuration, BenchWorkload.Parameters(Configuration));
        var x = BenchWorkload.Input(Configuration);
        _input = new RnnInput(x);
        var dy = RnnTensors.Zeros(Configuration.SeqLen, Configuration.Batch, Configuration.Spec.OutputSize);
        dy.Span.Fill(1f);
        _gradients = new RnnOutputGradients(dy);
    }

    [Benchmark]
    public float ForwardBackward()
    {
        using var result = _executor!.Forward(_input!, RnnMode.Training);
        var grads = _executor.Backward(result.Context!, _gradients!);
        return grads.Input.Span[0];
    }

    [GlobalCleanup]
    public void Cleanup() => _executor?.Dispose();
}
