using RnnNative.Bench.Peers;
using RnnNative.Cli.Benchmarking;
using RnnNative.Validation;

namespace RnnNative.Bench;

/// <summary>
/// Before any timing: on each configuration, the managed reference, ONNX Runtime and each of our native targets run
/// once on the same input; every output must agree with the reference's within the validation tolerance of its
/// precision (ORT is f32; int8's bound comes from its calibration, ValidationTolerance.Int8), every caller of a
/// shared executor included. A mismatch throws <see cref="PeerMismatchException"/> and no benchmark runs.
/// </summary>
public static class EqualityGate
{
    /// <summary>
    /// Runs the gate over the rows <paramref name="timed"/> selects (default: every row). With <paramref name="perturbPeer"/>
    /// the peer's model gets one changed weight: the gate must then stop the run.
    /// </summary>
    public static void Run(IEnumerable<StandardConfiguration> configurations, bool perturbPeer, TextWriter log, Func<InferenceCase, bool>? timed = null)
    {
        foreach (var configuration in configurations)
        {
            var parameters = BenchWorkload.Parameters(configuration);
            var x = BenchWorkload.Input(configuration);
            var input = new RnnInput(x);
            float[] reference;
            using (var managed = RnnBackends.Managed.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.F32, BenchWorkload.Threads)))
            using (var result = managed.Forward(input))
                reference = result.Output.Span.ToArray();

            var peerParameters = perturbPeer ? Perturbed(parameters) : parameters;
            using (var ort = new OrtRnnPeer(peerParameters, x, BenchWorkload.Threads))
            {
                ort.Run();
                Check(log, BackendTarget.OnnxRuntime.ToString(), configuration, reference, ort.Output, ValidationTolerance.F32);
            }
            foreach (var inferenceCase in BenchWorkload.InferenceCases([configuration]).Where(timed ?? (_ => true)))
            {
                var target = inferenceCase.Target;
                if (target == BackendTarget.OnnxRuntime || target == BackendTarget.Managed) continue;
                double tolerance = target.Precision == RnnPrecision.Int8
                    ? ValidationTolerance.Int8(parameters, BenchWorkload.Calibration(configuration, parameters))
                    : ValidationTolerance.For(target.Precision);
                using var ours = new OurInferenceRunner(inferenceCase, parameters);
                ours.Run();
                // Every caller of a shared executor must compute the same function, not only the first.
                var outputs = ours.Outputs;
                for (int caller = 0; caller < outputs.Count; caller++)
                    Check(log, outputs.Count > 1 ? $"{target} #{caller}" : target.ToString(), configuration, reference, outputs[caller], tolerance);
            }
        }
    }

    /// <summary>
    /// A copy of the parameters with the first row of layer 0's input weights (one gate unit's view of every input feature)
    /// moved by 0.5: a different function, whose outputs differ from the reference's far beyond the f32 bound the peer is held to.
    /// </summary>
    public static RnnParameters Perturbed(RnnParameters parameters)
    {
        var copy = parameters.Clone();
        var wih = copy.Get(RnnParameterKind.WeightIh, 0, 0).Span;
        for (int i = 0; i < copy.Spec.InputSize; i++) wih[i] += 0.5f;
        return copy;
    }

    private static void Check(TextWriter log, string target, StandardConfiguration configuration, float[] reference, float[] actual, double tolerance)
    {
        var (maxDiff, bound, _) = PeerAgreement.Compare(reference, actual, tolerance);
        log.WriteLine($"gate {configuration.Name,-13} {target,-18} max|a-ref| = {maxDiff:0.000e+0}  bound {bound:0.000e+0}");
        PeerAgreement.Require(target, configuration.Name, reference, actual, tolerance);
    }
}
