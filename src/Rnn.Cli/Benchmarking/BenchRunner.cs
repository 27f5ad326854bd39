using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Numerics.Tensors;

namespace RnnNative.Cli.Benchmarking;

/// <summary>
/// Times forward passes (or forward + backward) of one configuration on random data, from K callers on ONE executor
/// at once: warm-up first (it also pays for primitive creation, weight conversion and growing the executor's workspace
/// pool to K), then every caller calls until the time budget is spent. Inference goes through the caller-memory
/// overload with buffers each caller allocates once, so the timed loop allocates nothing.
/// </summary>
internal static class BenchRunner
{
    /// <summary>Backward costs about twice the forward (two GEMMs per forward GEMM), so training counts 3× forward FLOPs.</summary>
    public const double TrainingFlopsFactor = 3;

    /// <summary>What an int8 bench run is calibrated on; printed with its results.</summary>
    public const string Int8CalibrationNote = "int8 calibrated (min/max per layer) on the bench input itself";

    /// <summary>
    /// Runs the benchmark. Each call runs on <see cref="RnnExecutorOptions.Threads"/> threads, passed per call as well;
    /// <paramref name="callers"/> × threads ≤ cores keeps the callers from competing for cores. With
    /// <paramref name="allocateOutputs"/> inference goes through <see cref="RnnExecutor.Forward(RnnInput, RnnMode)"/>,
    /// which allocates its outputs each call: the form to compare with builds that have no caller-memory overload.
    /// </summary>
    public static BenchResult Measure(IRnnBackend backend, RnnSpec spec, int batch, int seqLen, RnnExecutorOptions options, bool train,
        double seconds, int callers = 1, bool allocateOutputs = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(callers, 1);
        var rng = new Random(20261122);
        var parameters = RnnParameters.InitializeUniform(spec, seed: 1);
        var input = new RnnInput(RandomTensor(rng, seqLen, batch, spec.InputSize));
        var gradients = train ? new RnnOutputGradients(RandomTensor(rng, seqLen, batch, spec.OutputSize)) : null;
        // Random weights come with no calibration: int8 calibrates on the bench input itself (min/max), outside the timing.
        if (options.Precision == RnnPrecision.Int8 && options.Quantization is null)
            options = options with { Quantization = Int8Calibration.Calibrate(parameters, input) };
        using var executor = backend.CreateExecutor(parameters, options);

        // The input is read-only, so the callers share it; outputs are per caller (each call writes its own).
        var workers = new BenchCaller[callers];
        for (int i = 0; i < callers; i++)
            workers[i] = new BenchCaller(
                gradients is not null ? TrainingCall(executor, input, gradients)
                : allocateOutputs ? AllocatingInferenceCall(executor, input)
                : InferenceCall(executor, input, options.Threads, spec));

        long warmUntil = Stopwatch.GetTimestamp() + (long)(seconds * 0.1 * Stopwatch.Frequency);
        long timedStart = 0, timedUntil = 0;
        using var warmed = new CountdownEvent(callers);
        using var go = new ManualResetEventSlim(false);
        var threads = new Thread[callers];
        for (int i = 0; i < callers; i++)
        {
            var worker = workers[i];
            threads[i] = new Thread(() => worker.Run(warmUntil, warmed, go, () => Volatile.Read(ref timedUntil)))
            {
                IsBackground = true,
                Name = $"bench caller {i}",
            };
            threads[i].Start();
        }
        warmed.Wait();
        timedStart = Stopwatch.GetTimestamp();
        Volatile.Write(ref timedUntil, timedStart + (long)(seconds * Stopwatch.Frequency));
        go.Set();
        foreach (var thread in threads) thread.Join();

        if (workers.FirstOrDefault(w => w.Failure is not null)?.Failure is { } failure) ExceptionDispatchInfo.Throw(failure);
        long timedEnd = workers.Max(w => w.Finished);
        int iterations = workers.Sum(w => w.Latencies.Count);
        double flops = spec.ForwardFlops(batch, seqLen) * (train ? TrainingFlopsFactor : 1);
        return new BenchResult(iterations, (double)(timedEnd - timedStart) / Stopwatch.Frequency, flops, batch, callers,
            LatencySummary.From(workers.Select(w => w.Latencies)));
    }

    /// <summary>
    /// The bytes of output buffers one caller owns (y, h_n, c_n), reported so memory figures can be read; none when each
    /// call allocates its results instead (training, <c>allocateOutputs</c>).
    /// </summary>
    public static long CallerBufferBytes(RnnSpec spec, int batch, int seqLen, bool allocatedPerCall)
    {
        if (allocatedPerCall) return 0;
        long y = (long)seqLen * batch * spec.OutputSize;
        long state = (long)spec.NumLayers * spec.Directions * batch * spec.HiddenSize;
        return sizeof(float) * (y + state * (spec.Cell.HasCellState() ? 2 : 1));
    }

    private static Action InferenceCall(RnnExecutor executor, RnnInput input, int threads, RnnSpec spec)
    {
        int seqLen = input.Input.Dim(0), batch = input.Input.Dim(1);
        var (y, hidden, cell) = RnnOutputBuffers.Sizes(spec, seqLen, batch);
        // Pinned once, so the shim reads and writes the same memory every call and the GC never moves it mid-run.
        float[] output = GC.AllocateArray<float>(y, pinned: true), hn = GC.AllocateArray<float>(hidden, pinned: true),
            cn = GC.AllocateArray<float>(cell, pinned: true);
        return () => executor.Forward(new RnnInferenceRequest(input.Input.Span, seqLen, batch) { Threads = threads },
            new RnnOutputBuffers(output, hn, cn));
    }

    private static Action AllocatingInferenceCall(RnnExecutor executor, RnnInput input) => () =>
    {
        using var result = executor.Forward(input);
    };

    private static Action TrainingCall(RnnExecutor executor, RnnInput input, RnnOutputGradients gradients) => () =>
    {
        using var forward = executor.Forward(input, RnnMode.Training);
        executor.Backward(forward.Context!, gradients);
    };

    private static Tensor<float> RandomTensor(Random rng, params int[] shape)
    {
        var t = RnnTensors.Zeros(shape);
        var data = t.Span;
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }
}
