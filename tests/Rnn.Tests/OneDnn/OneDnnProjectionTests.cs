using RnnNative.Interop.OneDnn;
using RnnNative.Managed;
using static RnnNative.Tests.OneDnn.OneDnnTestSupport;

namespace RnnNative.Tests.OneDnn;

/// <summary>
/// LSTMs with projections (proj_size) on oneDNN's LSTMP against the managed reference: forward in inference and
/// training, backward with weight_hr's gradient, the caller-memory path (which writes straight into the caller's
/// buffers for a sorted f32 batch), and the refusals: bf16 (oneDNN 2.6 computes it wrongly) and int8.
/// </summary>
public class OneDnnProjectionTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        // layers, bidirectional, bias, lengths, states, batch-first, proj
        yield return new TestCaseData(1, false, true, new[] { 6, 2, 5, 6, 1 }, true, false, 3).SetName("Lstmp_1L_VarLen_States");
        yield return new TestCaseData(2, true, true, new[] { 3, 6, 1, 6, 4 }, true, true, 2).SetName("Lstmp_2L_Bi_VarLen_States_BatchFirst");
        yield return new TestCaseData(2, false, false, null, false, false, 1).SetName("Lstmp_2L_NoBias_Proj1");
        yield return new TestCaseData(1, true, true, new[] { 6, 6, 4, 4, 2 }, false, false, 6).SetName("Lstmp_Bi_SortedVarLen_ProjHiddenMinusOne");
    }

    [TestCaseSource(nameof(Cases))]
    public void ForwardAndBackwardMatchTheReference(int layers, bool bidirectional, bool bias, int[]? lengths, bool states, bool batchFirst, int proj)
    {
        RequireBackend();
        const int seqLen = 6, batch = 5, inputSize = 4, hidden = 7;
        var spec = new RnnSpec(RnnCellKind.Lstm, inputSize, hidden, layers, bidirectional, bias, proj);
        var parameters = RnnParameters.InitializeUniform(spec, seed: 13);
        var rng = new Random(17);
        var input = RandomInput(spec, rng, seqLen, batch, lengths, states, batchFirst);

        using var expectedExec = ManagedBackend.Instance.CreateExecutor(parameters);
        using var actualExec = OneDnnBackend.Instance.CreateExecutor(parameters);
        var inference = actualExec.Forward(input);
        using var expected = expectedExec.Forward(input, RnnMode.Training);
        using var actual = actualExec.Forward(input, RnnMode.Training);
        Assert.That(expected.Hidden.Dim(2), Is.EqualTo(proj), "h_n is P wide");
        foreach (var (result, mode) in new[] { (inference, "inference"), (actual, "training") })
        {
            TensorAssert.Close(result.Output, expected.Output, TensorAssert.F32, $"{mode} y");
            TensorAssert.Close(result.Hidden, expected.Hidden, TensorAssert.F32, $"{mode} h_n");
            TensorAssert.Close(result.Cell, expected.Cell, TensorAssert.F32, $"{mode} c_n");
        }

        var grads = new RnnOutputGradients(Random(rng, expected.Output.Shape.ToArray()), Random(rng, expected.Hidden.Shape.ToArray()),
            Random(rng, expected.Cell!.Shape.ToArray()));
        var want = expectedExec.Backward(expected.Context!, grads);
        var got = actualExec.Backward(actual.Context!, grads);
        TensorAssert.Close(got.Input, want.Input, TensorAssert.F32, "dx");
        TensorAssert.Close(got.InitialHidden, want.InitialHidden, TensorAssert.F32, "dh0");
        TensorAssert.Close(got.InitialCell, want.InitialCell, TensorAssert.F32, "dc0");
        foreach (var (name, tensor) in want.Parameters.Tensors)
            TensorAssert.Close(got.Parameters[name], tensor, TensorAssert.F32, $"d{name}");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void CallerMemoryForwardMatchesTheReference(bool sorted)
    {
        RequireBackend();
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 6, 2, bidirectional: true, projectionSize: 4);
        var parameters = RnnParameters.InitializeUniform(spec, seed: 23);
        int[] lengths = sorted ? [5, 5, 3] : [3, 5, 5];
        var input = RandomInput(spec, new Random(24), 5, 3, lengths, withStates: true, batchFirst: false);
        using var reference = ManagedBackend.Instance.CreateExecutor(parameters);
        using var exec = OneDnnBackend.Instance.CreateExecutor(parameters);
        using var expected = reference.Forward(input);

        var outputs = RnnOutputBuffers.Allocate(spec, 5, 3);
        var request = new RnnInferenceRequest(input.Input.Span, 5, 3)
        {
            Lengths = lengths,
            InitialHidden = input.InitialHidden!.Span,
            InitialCell = input.InitialCell!.Span,
        };
        exec.Forward(request, outputs);
        TensorAssert.Close(RnnTensors.Create(outputs.Output.ToArray(), 5, 3, 8), expected.Output, TensorAssert.F32, "y");
        TensorAssert.Close(RnnTensors.Create(outputs.Hidden.ToArray(), 4, 3, 4), expected.Hidden, TensorAssert.F32, "h_n");
        TensorAssert.Close(RnnTensors.Create(outputs.Cell.ToArray(), 4, 3, 6), expected.Cell, TensorAssert.F32, "c_n");
    }

    [Test]
    public void Bf16ProjectionIsRefusedWithTheReason()
    {
        RequireBackend();
        var parameters = RnnParameters.InitializeUniform(new RnnSpec(RnnCellKind.Lstm, 4, 8, projectionSize: 3), seed: 1);
        var e = Assert.Throws<RnnBackendUnsupportedException>(() => OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.Bf16)));
        Assert.That(e!.Message, Does.Contain("bf16").And.Contain("proj").And.Contain("wrong"));
    }

    [Test]
    public void Int8ProjectionIsRefusedWithTheReason()
    {
        RequireBackend();
        var spec = new RnnSpec(RnnCellKind.Lstm, 4, 8, projectionSize: 3);
        var parameters = RnnParameters.InitializeUniform(spec, seed: 2);
        var input = RandomInput(spec, new Random(3), 4, 2, null, withStates: false, batchFirst: false);
        var quantization = Int8Calibration.Calibrate(parameters, input);
        var e = Assert.Throws<RnnBackendUnsupportedException>(() =>
            OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.Int8, Quantization: quantization)));
        Assert.That(e!.Message, Does.Contain("int8").And.Contain("proj"));
    }
}
