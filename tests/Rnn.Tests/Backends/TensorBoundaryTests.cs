using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using RnnNative.Inference;
using RnnNative.Interop.OneDnn;

namespace RnnNative.Tests.Backends;

/// <summary>
/// The executor's boundary with System.Numerics.Tensors and with another runtime's memory: a Tensor&lt;float&gt; and an
/// ONNX Runtime OrtValue go in and come out without a copy, and the batch engine's pass allocates nothing that grows
/// with the batch.
/// </summary>
public class TensorBoundaryTests
{
    private static readonly RnnSpec Spec = new(RnnCellKind.Lstm, 5, 7, 2, bidirectional: true);

    private static RnnExecutor OneDnn()
    {
        if (!OneDnnBackend.Instance.Availability.IsAvailable) Assert.Ignore($"onednn unavailable: {OneDnnBackend.Instance.Availability.Reason}");
        return OneDnnBackend.Instance.CreateExecutor(RnnParameters.InitializeUniform(Spec, 3), new RnnExecutorOptions(Threads: 1));
    }

    private static float[] RandomValues(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    [Test]
    public void AnOrtValuesMemoryIsReadAndWrittenInPlace()
    {
        using var exec = OneDnn();
        const int seqLen = 4, batch = 3;
        float[] x = RandomValues(seqLen * batch * Spec.InputSize, 1);
        var (ySize, hSize, cSize) = RnnOutputBuffers.Sizes(Spec, seqLen, batch);
        float[] yMemory = new float[ySize], hMemory = new float[hSize];
        using var ortX = OrtValue.CreateTensorValueFromMemory(x, [seqLen, batch, Spec.InputSize]);
        using var ortY = OrtValue.CreateTensorValueFromMemory(yMemory, [seqLen, batch, Spec.OutputSize]);
        using var ortH = OrtValue.CreateTensorValueFromMemory(hMemory, [Spec.NumLayers * Spec.Directions, batch, Spec.HiddenSize]);

        var ySpan = ortY.GetTensorMutableDataAsSpan<float>();
        Assert.That(Unsafe.AreSame(ref MemoryMarshal.GetReference(ySpan), ref yMemory[0]), Is.True, "ORT's span is over the array it was given");
        exec.Forward(new RnnInferenceRequest(ortX.GetTensorDataAsSpan<float>(), seqLen, batch),
            new RnnOutputBuffers(ySpan, ortH.GetTensorMutableDataAsSpan<float>()));

        using var expected = exec.Forward(new RnnInput(RnnTensors.Create(x, seqLen, batch, Spec.InputSize)));
        Assert.That(ortY.GetTensorDataAsSpan<float>().ToArray(), Is.EqualTo(expected.Output.Span.ToArray()), "y read back through ORT");
        Assert.That(hMemory, Is.EqualTo(expected.Hidden.Span.ToArray()), "h_n written into the OrtValue's memory");
        Assert.That(yMemory.Any(v => v != 0), Is.True);
    }

    [Test]
    public void TensorsGoInAndComeOutWithoutACopy([Values] bool batchFirst)
    {
        using var exec = OneDnn();
        const int seqLen = 5, batch = 2;
        int rows = Spec.NumLayers * Spec.Directions;
        float[] x = RandomValues(seqLen * batch * Spec.InputSize, 2);
        nint[] xShape = batchFirst ? [batch, seqLen, Spec.InputSize] : [seqLen, batch, Spec.InputSize];
        Tensor<float> input = Tensor.Create(x, xShape);
        float[] yMemory = new float[seqLen * batch * Spec.OutputSize], hMemory = new float[rows * batch * Spec.HiddenSize],
            cMemory = new float[rows * batch * Spec.HiddenSize];
        Tensor<float> y = Tensor.Create(yMemory, batchFirst ? [batch, seqLen, Spec.OutputSize] : [seqLen, batch, Spec.OutputSize]);
        Tensor<float> hn = Tensor.Create(hMemory, [rows, batch, Spec.HiddenSize]);
        Tensor<float> cn = Tensor.Create(cMemory, [rows, batch, Spec.HiddenSize]);

        exec.Forward(input, y, hn, cn, batchFirst);

        using var expected = exec.Forward(new RnnInput(RnnTensors.Create(x, [.. xShape.Select(d => (int)d)]), BatchFirst: batchFirst));
        Assert.That(yMemory, Is.EqualTo(expected.Output.Span.ToArray()), "y landed in the tensor's own array");
        Assert.That(hMemory, Is.EqualTo(expected.Hidden.Span.ToArray()));
        Assert.That(cMemory, Is.EqualTo(expected.Cell!.Span.ToArray()));
    }

    [Test]
    public void AnInputOfTheWrongRankIsRefusedNamingIt()
    {
        using var exec = OneDnn();
        var flat = Tensor.Create(new float[10], [10]);
        var e = Assert.Throws<ArgumentException>(() => exec.Forward(flat, Tensor.Create(new float[1], [1]), Tensor.Create(new float[1], [1])))!;
        Assert.That(e.ParamName, Is.EqualTo("input"));
        Assert.That(e.Message, Does.Contain("3-D"));
    }

    [TestCase("managed")]
    [TestCase("onednn")]
    public void TheEnginesPassAllocatesNothingThatGrowsWithTheBatch(string backendName)
    {
        var backend = Concurrency.CallerMemoryCases.Backend(backendName);
        using var network = new RecurrentNetwork(RnnParameters.InitializeUniform(Spec, 4), backend, new RnnExecutorOptions(Threads: 1));
        var perCall = new List<long>();
        foreach (int batch in new[] { 2, 128 })
        {
            const int seqLen = 8, calls = 10;
            var x = RnnTensors.Create(RandomValues(seqLen * batch * Spec.InputSize, batch), seqLen, batch, Spec.InputSize);
            var lengths = Enumerable.Range(0, batch).Select(b => 1 + b % seqLen).ToArray();
            for (int i = 0; i < 3; i++) network.Run(x, lengths).Dispose(); // warm: pools, primitive cache, JIT
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < calls; i++) network.Run(x, lengths).Dispose();
            perCall.Add((GC.GetAllocatedBytesForCurrentThread() - before) / calls);
        }
        // The pass object and three tensor views over pooled arrays, the same at batch 2 and 128 (y alone is 229 KiB at 128).
        Assert.That(perCall, Has.All.LessThanOrEqualTo(2048), $"bytes per pass at batch 2 and 128: {string.Join(", ", perCall)}");
    }
}
