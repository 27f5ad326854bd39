using RnnNative.Interop.OneDnn;
using RnnNative.Managed;
using static RnnNative.Tests.OneDnn.OneDnnTestSupport;

namespace RnnNative.Tests.OneDnn;

/// <summary>
/// bf16 keeps 8 significant bits, so results are compared at 3e-2 of the tensor's scale (a few bf16 roundings of
/// O(1) activations through several steps), and must differ from f32's, which shows the bf16 kernels really ran.
/// </summary>
public class OneDnnBf16Tests
{
    private const double Bf16Relative = 3e-2;

    private static void RequireBf16()
    {
        RequireBackend();
        if (!OneDnnBackend.Instance.Supports(RnnPrecision.Bf16)) Assert.Ignore("this CPU cannot run oneDNN's bf16 RNNs (needs AVX-512)");
    }

    [TestCase(RnnCellKind.Lstm, true)]
    [TestCase(RnnCellKind.Gru, false)]
    [TestCase(RnnCellKind.RnnTanh, true)]
    public void Bf16ForwardTracksTheReference(RnnCellKind cell, bool bidirectional)
    {
        RequireBf16();
        var spec = new RnnSpec(cell, 16, 32, 2, bidirectional);
        var parameters = RnnParameters.InitializeUniform(spec, 21);
        var input = RandomInput(spec, new Random(22), 7, 4, [7, 3, 5, 7], withStates: true, batchFirst: false);
        using var bf16 = OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.Bf16));
        using var f32 = OneDnnBackend.Instance.CreateExecutor(parameters);
        using var reference = ManagedBackend.Instance.CreateExecutor(parameters);
        var want = reference.Forward(input);
        var got = bf16.Forward(input);
        TensorAssert.Close(got.Output, want.Output, Bf16Relative, "bf16 y");
        TensorAssert.Close(got.Hidden, want.Hidden, Bf16Relative, "bf16 h_n");
        TensorAssert.Close(got.Cell, want.Cell, Bf16Relative, "bf16 c_n");
        Assert.That(got.Output.Span.ToArray(), Is.Not.EqualTo(f32.Forward(input).Output.Span.ToArray()), "bf16 must not silently compute in f32");
    }

    [Test]
    public void Bf16BackwardTracksTheReference()
    {
        RequireBf16();
        var spec = new RnnSpec(RnnCellKind.Lstm, 8, 16, 1, bidirectional: true);
        var parameters = RnnParameters.InitializeUniform(spec, 31);
        var input = RandomInput(spec, new Random(32), 5, 3, [5, 2, 4], withStates: false, batchFirst: true);
        var grads = new RnnOutputGradients(Random(new Random(33), 3, 5, 32));
        using var bf16 = OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(RnnPrecision.Bf16));
        using var reference = ManagedBackend.Instance.CreateExecutor(parameters);
        using var a = bf16.Forward(input, RnnMode.Training);
        using var e = reference.Forward(input, RnnMode.Training);
        var got = bf16.Backward(a.Context!, grads);
        var want = reference.Backward(e.Context!, grads);
        TensorAssert.Close(got.Input, want.Input, Bf16Relative, "bf16 dx");
        foreach (var (name, tensor) in want.Parameters.Tensors)
            TensorAssert.Close(got.Parameters[name], tensor, Bf16Relative, $"bf16 d{name}");
    }
}
