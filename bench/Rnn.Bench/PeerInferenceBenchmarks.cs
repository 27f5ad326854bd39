using BenchmarkDotNet.Attributes;
using RnnNative.Bench.Peers;
using RnnNative.Cli.Benchmarking;

namespace RnnNative.Bench;

/// <summary>
/// Forward inference of each standard configuration: ONNX Runtime (the peer) and each of our targets, on the same
/// parameters and input, in the same process and run. One invocation is one round: one batch per caller (several
/// callers share one executor in the K×T rows). Every output was checked against the reference by
/// <see cref="EqualityGate"/> before any timing.
/// </summary>
[MemoryDiagnoser]
public class PeerInferenceBenchmarks
{
    private OrtRnnPeer? _ort;
    private OurInferenceRunner? _ours;

    [ParamsSource(nameof(Cases))]
    public InferenceCase Case { get; set; } = new(StandardConfiguration.All[0], BackendTarget.OnnxRuntime);

    public static IEnumerable<InferenceCase> Cases => BenchWorkload.InferenceCases(StandardConfiguration.All);

    [GlobalSetup]
    public void Setup()
    {
        var parameters = BenchWorkload.Parameters(Case.Configuration);
        if (Case.Target == BackendTarget.OnnxRuntime) _ort = new OrtRnnPeer(parameters, BenchWorkload.Input(Case.Configuration), BenchWorkload.Threads);
        else _ours = new OurInferenceRunner(Case, parameters);
    }

    [Benchmark]
    public float Forward()
    {
        if (_ort is not null)
        {
            _ort.Run();
            return _ort.Output[0];
        }
        _ours!.Run();
        return _ours.First;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ort?.Dispose();
        _ort = null;
        _ours?.Dispose();
        _ours = null;
    }
}
