using System.Diagnostics;

namespace RnnNative.Cli.Benchmarking;

/// <summary>
/// Times forward passes (or forward + backward) of one configuration on random data: warm-up first (it also pays for
/// primitive creation and weight conversion), then as many full batches as fit in the time budget.
/// </summary>
internal static class BenchRunner
{
    /// <summary>Backward costs about twice the forward (two GEMMs per forward GEMM), so training counts 3× forward FLOPs.</summary>
    public const double TrainingFlopsFactor = 3;

    /// <summary>What an int8 bench run is calibrated on; printed with its results.</summary>
    public const string Int8CalibrationNote = "int8 calibrated (min/max per layer) on the bench input itself";

    public static BenchResult Measure(IRnnBackend backend, RnnSpec spec, int batch, int seqLen, RnnExecutorOptions options, bool train, double seconds)
    {
        var rng = new Random(20261122);
        var parameters = RnnParameters.InitializeUniform(spec, seed: 1);
        var input = new RnnInput(RandomTensor(rng, seqLen, batch, spec.InputSize));
        var gradients = train ? new RnnOutputGradients(RandomTensor(rng, seqLen, batch, spec.OutputSize)) : null;
        // Random weights come with no calibration: int8 calibrates on the bench input itself (min/max), outside the timing.
        if (options.Precision == RnnPrecision.Int8 && options.Quantization is null)
            options = options with { Quantization = Int8Calibration.Calibrate(parameters, input) };
        using var executor = backend.CreateExecutor(parameters, options);

        void RunOnce()
        {
            if (gradients is null)
            {
                using var result = executor.Forward(input);
                return;
            }
            using var forward = executor.Forward(input, RnnMode.Training);
            executor.Backward(forward.Context!, gradients);
        }

        var clock = Stopwatch.StartNew();
        RunOnce();
        while (clock.Elapsed.TotalSeconds < seconds * 0.1) RunOnce();

        int iterations = 0;
        clock.Restart();
        do
        {
            RunOnce();
            iterations++;
        } while (clock.Elapsed.TotalSeconds < seconds);
        double flops = spec.ForwardFlops(batch, seqLen) * (train ? TrainingFlopsFactor : 1);
        return new BenchResult(iterations, clock.Elapsed.TotalSeconds, flops, batch);
    }

    private static Tensor RandomTensor(Random rng, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        var data = t.Data;
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }
}
