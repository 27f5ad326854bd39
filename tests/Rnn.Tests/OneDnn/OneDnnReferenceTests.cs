using RnnNative.Interop.OneDnn;
using RnnNative.Managed;
using static RnnNative.Tests.OneDnn.OneDnnTestSupport;

namespace RnnNative.Tests.OneDnn;

/// <summary>
/// A handful of representative models against the managed reference, forward and backward: the shim's conversions
/// (GRU gate swap, 4-gate lbr bias, summed-bias gradients), time segmentation and layouts. The full grid lives in the
/// shared validation suite.
/// </summary>
public class OneDnnReferenceTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        // cell, layers, bidirectional, bias, lengths, states, batch-first
        yield return new TestCaseData(RnnCellKind.Lstm, 2, true, true, new[] { 3, 6, 1, 6, 4 }, true, false).SetName("Lstm_2L_Bi_VarLen_States");
        yield return new TestCaseData(RnnCellKind.Gru, 2, true, true, new[] { 6, 2, 5, 5, 1 }, false, true).SetName("Gru_2L_Bi_VarLen_BatchFirst");
        yield return new TestCaseData(RnnCellKind.Gru, 1, false, false, null, true, false).SetName("Gru_NoBias_States");
        yield return new TestCaseData(RnnCellKind.RnnTanh, 3, false, true, new[] { 2, 6, 6, 3, 6 }, true, true).SetName("RnnTanh_3L_VarLen_BatchFirst");
        yield return new TestCaseData(RnnCellKind.RnnRelu, 1, true, true, null, false, false).SetName("RnnRelu_Bi");
        yield return new TestCaseData(RnnCellKind.Lstm, 1, false, false, new[] { 6, 6, 4, 4, 2 }, false, false).SetName("Lstm_NoBias_SortedVarLen");
        yield return new TestCaseData(RnnCellKind.Lstm, 3, true, true, new[] { 1, 1, 1, 1, 1 }, true, true).SetName("Lstm_3L_Bi_AllLengthOne_BatchFirst");
        yield return new TestCaseData(RnnCellKind.Gru, 2, false, true, new[] { 2, 2, 2, 2, 2 }, true, false).SetName("Gru_2L_EqualShortLengths");
    }

    [TestCaseSource(nameof(Cases))]
    public void ForwardAndBackwardMatchTheReference(RnnCellKind cell, int layers, bool bidirectional, bool bias, int[]? lengths, bool states, bool batchFirst)
    {
        RequireBackend();
        const int seqLen = 6, batch = 5, inputSize = 4, hidden = 7;
        var spec = new RnnSpec(cell, inputSize, hidden, layers, bidirectional, bias);
        var parameters = RnnParameters.InitializeUniform(spec, seed: 11);
        var rng = new Random(5);
        var input = RandomInput(spec, rng, seqLen, batch, lengths, states, batchFirst);

        using var expectedExec = ManagedBackend.Instance.CreateExecutor(parameters);
        using var actualExec = OneDnnBackend.Instance.CreateExecutor(parameters);

        var inference = actualExec.Forward(input);
        using var expected = expectedExec.Forward(input, RnnMode.Training);
        using var actual = actualExec.Forward(input, RnnMode.Training);
        foreach (var (result, mode) in new[] { (inference, "inference"), (actual, "training") })
        {
            TensorAssert.Close(result.Output, expected.Output, TensorAssert.F32, $"{mode} y");
            TensorAssert.Close(result.Hidden, expected.Hidden, TensorAssert.F32, $"{mode} h_n");
            TensorAssert.Close(result.Cell, expected.Cell, TensorAssert.F32, $"{mode} c_n");
        }

        int rows = layers * spec.Directions;
        var dy = Random(rng, expected.Output.Shape.ToArray());
        var grads = new RnnOutputGradients(dy, Random(rng, rows, batch, hidden), cell == RnnCellKind.Lstm ? Random(rng, rows, batch, hidden) : null);
        var want = expectedExec.Backward(expected.Context!, grads);
        var got = actualExec.Backward(actual.Context!, grads);
        TensorAssert.Close(got.Input, want.Input, TensorAssert.F32, "dx");
        TensorAssert.Close(got.InitialHidden, want.InitialHidden, TensorAssert.F32, "dh0");
        TensorAssert.Close(got.InitialCell, want.InitialCell, TensorAssert.F32, "dc0");
        foreach (var (name, tensor) in want.Parameters.Tensors)
            TensorAssert.Close(got.Parameters[name], tensor, TensorAssert.F32, $"d{name}");
    }

    [TestCase(RnnCellKind.Lstm)]
    [TestCase(RnnCellKind.Gru)]
    [TestCase(RnnCellKind.RnnRelu)]
    public void SingleStepSingleSequenceHiddenOne(RnnCellKind cell)
    {
        RequireBackend();
        var spec = new RnnSpec(cell, 1, 1, 2, bidirectional: true);
        var parameters = RnnParameters.InitializeUniform(spec, seed: 4);
        var input = RandomInput(spec, new Random(6), 1, 1, null, withStates: true, batchFirst: false);
        using var reference = ManagedBackend.Instance.CreateExecutor(parameters);
        using var exec = OneDnnBackend.Instance.CreateExecutor(parameters);
        using var expected = reference.Forward(input, RnnMode.Training);
        using var actual = exec.Forward(input, RnnMode.Training);
        TensorAssert.Close(actual.Output, expected.Output, TensorAssert.F32, "y");
        TensorAssert.Close(actual.Hidden, expected.Hidden, TensorAssert.F32, "h_n");
        var grads = new RnnOutputGradients(Random(new Random(2), 1, 1, 2), Random(new Random(3), 4, 1, 1));
        var want = reference.Backward(expected.Context!, grads);
        var got = exec.Backward(actual.Context!, grads);
        TensorAssert.Close(got.Input, want.Input, TensorAssert.F32, "dx");
        TensorAssert.Close(got.InitialHidden, want.InitialHidden, TensorAssert.F32, "dh0");
        foreach (var (name, tensor) in want.Parameters.Tensors)
            TensorAssert.Close(got.Parameters[name], tensor, TensorAssert.F32, $"d{name}");
    }

    [Test]
    public void UpdatedWeightsAreUsedAndBackwardKeepsTheForwardPassWeights()
    {
        RequireBackend();
        var spec = new RnnSpec(RnnCellKind.Gru, 3, 5, 2, bidirectional: true);
        var before = RnnParameters.InitializeUniform(spec, seed: 1);
        var after = RnnParameters.InitializeUniform(spec, seed: 2);
        var input = RandomInput(spec, new Random(3), 4, 3, [4, 2, 3], withStates: false, batchFirst: false);
        var grads = new RnnOutputGradients(null, Random(new Random(4), 4, 3, 5));

        using var reference = ManagedBackend.Instance.CreateExecutor(before);
        using var exec = OneDnnBackend.Instance.CreateExecutor(before);
        using var expected = reference.Forward(input, RnnMode.Training);
        using var pending = exec.Forward(input, RnnMode.Training);
        exec.UpdateParameters(after);
        var gradsBefore = exec.Backward(pending.Context!, grads);
        var wantBefore = reference.Backward(expected.Context!, grads);
        foreach (var (name, tensor) in wantBefore.Parameters.Tensors)
            TensorAssert.Close(gradsBefore.Parameters[name], tensor, TensorAssert.F32, $"d{name} with the forward pass's weights");

        using var afterReference = ManagedBackend.Instance.CreateExecutor(after);
        TensorAssert.Close(exec.Forward(input).Output, afterReference.Forward(input).Output, TensorAssert.F32, "y after UpdateParameters");
    }

    [Test]
    public void OnlyHiddenStateGradientIsEnough()
    {
        RequireBackend();
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 4, 1);
        var parameters = RnnParameters.InitializeUniform(spec, seed: 9);
        var input = RandomInput(spec, new Random(8), 5, 2, [5, 3], withStates: true, batchFirst: true);
        var grads = new RnnOutputGradients(null, Random(new Random(7), 1, 2, 4));
        using var reference = ManagedBackend.Instance.CreateExecutor(parameters);
        using var exec = OneDnnBackend.Instance.CreateExecutor(parameters);
        using var expected = reference.Forward(input, RnnMode.Training);
        using var actual = exec.Forward(input, RnnMode.Training);
        var want = reference.Backward(expected.Context!, grads);
        var got = exec.Backward(actual.Context!, grads);
        TensorAssert.Close(got.Input, want.Input, TensorAssert.F32, "dx");
        TensorAssert.Close(got.InitialCell, want.InitialCell, TensorAssert.F32, "dc0");
    }
}
