using BenchmarkDotNet.Attributes;
using RnnNative.Bench.Peers;
using RnnNative.Benchmarking;

namespace RnnNative.Bench;

/// <summary>
/// Forward inference of each standard configuration: ONNX Runtime (the baseline, so Ratio is our time over ORT's) and
/// each of our native targets, on the same parameters and input, in the same process and run. The outputs were checked
/// against the reference by <see cref="EqualityGate"/> before any timing.
/// </summary>
[MemoryDiagnoser]
public class PeerInferenceBenchmarks
{
    private OrtRnnPeer? _ort;
    private RnnInput? _input;
    private readonly Dictionary<BackendTarget, IRnnExecutor> _ours = [];

    [ParamsSource(nameof(Configurations))]
    public StandardConfiguration Configuration { get; set; } = StandardConfiguration.All[0];

    [ParamsSource(nameof(Targets))]
    public BackendTarget Target { get; set; } = new("onednn", RnnPrecision.F32);

    public static IEnumerable<StandardConfiguration> Configurations => StandardConfiguration.All;

    /// <summary>"onnxruntime" is the peer's row; the others are ours.</summary>
    public static IEnumerable<BackendTarget> Targets => [BackendTarget.OnnxRuntime, .. BenchWorkload.NativeTargets];

    [GlobalSetup]
    public void Setup()
    {
        var parameters = BenchWorkload.Parameters(Configuration);
        var x = BenchWorkload.Input(Configuration);
        _input = new RnnInput(x);
        if (Target == BackendTarget.OnnxRuntime) _ort = new OrtRnnPeer(parameters, x, BenchWorkload.Threads);
        else _ours[Target] = BenchWorkload.CreateExecutor(Target, parameters);
    }

    [Benchmark]
    public float Forward()
    {
        if (_ort is not null)
        {
            _ort.Run();
            return _ort.Output[0];
        }
        using var result = _ours[Target].Forward(_input!);
        return result.Output.Data[0];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ort?.Dispose();
        _ort = null;
        foreach (var e in _ours.Values) e.Dispose();
        _ours.Clear();
    }
}
