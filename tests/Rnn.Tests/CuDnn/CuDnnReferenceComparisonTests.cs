using RnnNative.Interop.CuDnn;
using RnnNative.Managed;
using System.Numerics.Tensors;

namespace RnnNative.Tests.CuDnn;

/// <summary>
/// cuDNN against the managed reference on a GPU: forward (inference and training) and backward for every cell,
/// stacked and bidirectional, variable lengths in any order, with and without initial states and biases.
/// Skipped, with the backend's reason, where no usable GPU and cuDNN 9 are present.
/// </summary>
[Category("Gpu")]
public class CuDnnReferenceComparisonTests
{
    [SetUp]
    public void RequireGpu()
    {
        var availability = CuDnnBackend.Instance.Availability;
        if (!availability.IsAvailable) Assert.Ignore("cuDNN backend unavailable: " + availability.Reason);
    }

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var cell in Enum.GetValues<RnnCellKind>())
        foreach (int layers in new[] { 1, 2 })
        foreach (bool bidirectional in new[] { false, true })
        {
            bool withStates = (layers + (bidirectional ? 1 : 0)) % 2 == 0;
            bool batchFirst = layers == 2;
            yield return new TestCaseData(cell, layers, bidirectional, withStates, true, batchFirst)
                .SetName($"CuDnn_{cell}_L{layers}_{(bidirectional ? "bi" : "uni")}_{(withStates ? "h0" : "noh0")}{(batchFirst ? "_batchfirst" : "")}");
        }
        yield return new TestCaseData(RnnCellKind.Lstm, 2, true, true, false, false).SetName("CuDnn_Lstm_NoBias");
        yield return new TestCaseData(RnnCellKind.Gru, 1, true, false, false, true).SetName("CuDnn_Gru_NoBias");
    }

    [TestCaseSource(nameof(Cases))]
    public void ForwardAndBackwardMatchTheReference(RnnCellKind cell, int layers, bool bidirectional, bool withStates, bool hasBias, bool batchFirst)
    {
        var spec = new RnnSpec(cell, 3, 4, layers, bidirectional, hasBias);
        var rng = new Random(7 + (int)cell * 13 + layers * 3 + (bidirectional ? 1 : 0));
        var parameters = RandomParameters(spec, rng);
        var input = RandomInput(spec, rng, seqLen: 5, batch: 3, lengths: [5, 2, 4], withStates, batchFirst);
        var gradients = RandomOutputGradients(spec, rng, input, seqLen: 5, batch: 3);

        using var reference = ManagedBackend.Instance.CreateExecutor(parameters);
        using var gpu = CuDnnBackend.Instance.CreateExecutor(parameters);
        CompareForwardAndBackward(reference, gpu, input, gradients, TensorAssert.F32);
    }

    [Test]
    public void InferenceMatchesTheReferenceOnALargerLstm()
    {
        var spec = new RnnSpec(RnnCellKind.Lstm, 32, 64, 2);
        var rng = new Random(11);
        var parameters = RnnParameters.InitializeUniform(spec, 3);
        int[] lengths = Enumerable.Range(0, 16).Select(n => 20 - n).ToArray();
        var input = RandomInput(spec, rng, seqLen: 20, batch: 16, lengths, withStates: true, batchFirst: false);
        using var reference = ManagedBackend.Instance.CreateExecutor(parameters);
        using var gpu = CuDnnBackend.Instance.CreateExecutor(parameters);
        var expected = reference.Forward(input);
        var actual = gpu.Forward(input);
        TensorAssert.Close(actual.Output, expected.Output, TensorAssert.F32, "y");
        TensorAssert.Close(actual.Hidden, expected.Hidden, TensorAssert.F32, "h_n");
        TensorAssert.Close(actual.Cell, expected.Cell, TensorAssert.F32, "c_n");
    }

    // Reduced precisions: about ten units in the last place of the storage format (f16 2^-11, bf16 2^-8).
    [TestCase(RnnPrecision.F16, 5e-3)]
    [TestCase(RnnPrecision.Bf16, 4e-2)]
    public void ReducedPrecisionForwardStaysNearTheReference(RnnPrecision precision, double tolerance)
    {
        if (precision == RnnPrecision.Bf16 && CuDnnRuntimeProbe.Bf16Refusal(0) is { } refusal) Assert.Ignore(refusal);
        var spec = new RnnSpec(RnnCellKind.Lstm, 16, 32, 2, bidirectional: true);
        var rng = new Random(5);
        var parameters = RnnParameters.InitializeUniform(spec, 9);
        var input = RandomInput(spec, rng, seqLen: 8, batch: 8, lengths: [8, 7, 6, 5, 4, 3, 2, 1], withStates: false, batchFirst: false);
        using var reference = ManagedBackend.Instance.CreateExecutor(parameters);
        using var gpu = CuDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(precision));
        var expected = reference.Forward(input);
        var actual = gpu.Forward(input);
        TensorAssert.Close(actual.Output, expected.Output, tolerance, $"{precision} y");
        TensorAssert.Close(actual.Hidden, expected.Hidden, tolerance, $"{precision} h_n");
        TensorAssert.Close(actual.Cell, expected.Cell, tolerance, $"{precision} c_n");
    }

    [Test]
    public void BackwardWithOnlyAFinalStateGradientMatches()
    {
        var spec = new RnnSpec(RnnCellKind.Gru, 3, 4, 2, bidirectional: true);
        var rng = new Random(21);
        var parameters = RandomParameters(spec, rng);
        var input = RandomInput(spec, rng, seqLen: 4, batch: 2, lengths: [2, 4], withStates: false, batchFirst: false);
        var gradients = new RnnOutputGradients(null, RandomTensor(rng, spec.NumLayers * spec.Directions, 2, spec.HiddenSize));
        using var reference = ManagedBackend.Instance.CreateExecutor(parameters);
        using var gpu = CuDnnBackend.Instance.CreateExecutor(parameters);
        CompareForwardAndBackward(reference, gpu, input, gradients, TensorAssert.F32);
    }

    [Test]
    public void UpdatingWeightsBeforeBackwardKeepsTheForwardWeightsGradients()
    {
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 4);
        var rng = new Random(31);
        var parameters = RandomParameters(spec, rng);
        var input = RandomInput(spec, rng, seqLen: 4, batch: 2, lengths: null, withStates: true, batchFirst: false);
        var gradients = RandomOutputGradients(spec, rng, input, seqLen: 4, batch: 2);
        using var reference = ManagedBackend.Instance.CreateExecutor(parameters);
        using var gpu = CuDnnBackend.Instance.CreateExecutor(parameters);
        using var expectedForward = reference.Forward(input, RnnMode.Training);
        var expected = reference.Backward(expectedForward.Context!, gradients);

        using var forward = gpu.Forward(input, RnnMode.Training);
        gpu.UpdateParameters(RandomParameters(spec, rng));
        var actual = gpu.Backward(forward.Context!, gradients);
        TensorAssert.Close(actual.Input, expected.Input, TensorAssert.F32, "dx");
        TensorAssert.Close(actual.Parameters, expected.Parameters, TensorAssert.F32, "d");
    }

    [Test]
    public void UpdatedWeightsAreUsedByTheNextForward()
    {
        var spec = new RnnSpec(RnnCellKind.RnnTanh, 3, 4);
        var rng = new Random(41);
        var first = RandomParameters(spec, rng);
        var second = RandomParameters(spec, rng);
        var input = RandomInput(spec, rng, seqLen: 3, batch: 2, lengths: null, withStates: false, batchFirst: false);
        using var gpu = CuDnnBackend.Instance.CreateExecutor(first);
        gpu.UpdateParameters(second);
        using var reference = ManagedBackend.Instance.CreateExecutor(second);
        TensorAssert.Close(gpu.Forward(input).Output, reference.Forward(input).Output, TensorAssert.F32, "y after update");
    }

    [Test]
    public void ConcurrentInferenceGivesTheSameResultsAsSerial()
    {
        var spec = new RnnSpec(RnnCellKind.Gru, 8, 16, 2);
        var rng = new Random(51);
        var parameters = RandomParameters(spec, rng);
        var inputs = Enumerable.Range(0, 8)
            .Select(i => RandomInput(spec, rng, seqLen: 6, batch: 1 + i % 3, lengths: null, withStates: false, batchFirst: false)).ToArray();
        using var gpu = CuDnnBackend.Instance.CreateExecutor(parameters);
        var serial = inputs.Select(i => gpu.Forward(i).Output).ToArray();
        var parallel = new Tensor<float>[inputs.Length];
        Parallel.For(0, inputs.Length, i => parallel[i] = gpu.Forward(inputs[i]).Output);
        for (int i = 0; i < inputs.Length; i++) Assert.That(parallel[i].Span.ToArray(), Is.EqualTo(serial[i].Span.ToArray()), $"input {i}");
    }

    [Test]
    public void ZeroLengthSequencesAreRejectedBeforeCuDnnSeesThem()
    {
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 4);
        using var gpu = CuDnnBackend.Instance.CreateExecutor(RnnParameters.InitializeUniform(spec, 1));
        var input = new RnnInput(RnnTensors.Zeros(3, 2, 3), Lengths: [3, 0]);
        var ex = Assert.Throws<ArgumentException>(() => gpu.Forward(input));
        Assert.That(ex!.ParamName, Is.EqualTo("lengths"));
    }

    [Test]
    public void AMissingDeviceIndexIsAnArgumentError()
    {
        var spec = new RnnSpec(RnnCellKind.Lstm, 3, 4);
        var ex = Assert.Throws<ArgumentException>(() =>
            CuDnnBackend.Instance.CreateExecutor(RnnParameters.InitializeUniform(spec, 1), new RnnExecutorOptions(Device: 4096)));
        Assert.That(ex!.ParamName, Is.EqualTo("options"));
    }

    private static void CompareForwardAndBackward(RnnExecutor reference, RnnExecutor gpu, RnnInput input, RnnOutputGradients gradients, double tolerance)
    {
        var inference = gpu.Forward(input);
        using var expected = reference.Forward(input, RnnMode.Training);
        using var actual = gpu.Forward(input, RnnMode.Training);
        foreach (var (result, mode) in new[] { (inference, "inference"), (actual, "training") })
        {
            TensorAssert.Close(result.Output, expected.Output, tolerance, $"{mode} y");
            TensorAssert.Close(result.Hidden, expected.Hidden, tolerance, $"{mode} h_n");
            TensorAssert.Close(result.Cell, expected.Cell, tolerance, $"{mode} c_n");
        }
        var expectedGradients = reference.Backward(expected.Context!, gradients);
        var actualGradients = gpu.Backward(actual.Context!, gradients);
        TensorAssert.Close(actualGradients.Input, expectedGradients.Input, tolerance, "dx");
        TensorAssert.Close(actualGradients.InitialHidden, expectedGradients.InitialHidden, tolerance, "dh0");
        TensorAssert.Close(actualGradients.InitialCell, expectedGradients.InitialCell, tolerance, "dc0");
        TensorAssert.Close(actualGradients.Parameters, expectedGradients.Parameters, tolerance, "d");
    }

    private static Tensor<float> RandomTensor(Random rng, params int[] shape)
    {
        var tensor = RnnTensors.Zeros(shape);
        for (int i = 0; i < tensor.Length; i++) tensor.Span[i] = (float)(rng.NextDouble() * 2 - 1);
        return tensor;
    }

    private static RnnParameters RandomParameters(RnnSpec spec, Random rng)
    {
        var parameters = RnnParameters.Zeros(spec);
        foreach (var (_, tensor) in parameters.Tensors)
            for (int i = 0; i < tensor.Length; i++) tensor.Span[i] = (float)(rng.NextDouble() - 0.5);
        return parameters;
    }

    private static RnnInput RandomInput(RnnSpec spec, Random rng, int seqLen, int batch, int[]? lengths, bool withStates, bool batchFirst)
    {
        var x = batchFirst ? RandomTensor(rng, batch, seqLen, spec.InputSize) : RandomTensor(rng, seqLen, batch, spec.InputSize);
        int rows = spec.NumLayers * spec.Directions;
        var h0 = withStates ? RandomTensor(rng, rows, batch, spec.HiddenSize) : null;
        var c0 = withStates && spec.Cell.HasCellState() ? RandomTensor(rng, rows, batch, spec.HiddenSize) : null;
        return new RnnInput(x, lengths, h0, c0, batchFirst);
    }

    private static RnnOutputGradients RandomOutputGradients(RnnSpec spec, Random rng, RnnInput input, int seqLen, int batch)
    {
        var dy = input.BatchFirst ? RandomTensor(rng, batch, seqLen, spec.OutputSize) : RandomTensor(rng, seqLen, batch, spec.OutputSize);
        int rows = spec.NumLayers * spec.Directions;
        var dhn = RandomTensor(rng, rows, batch, spec.HiddenSize);
        var dcn = spec.Cell.HasCellState() ? RandomTensor(rng, rows, batch, spec.HiddenSize) : null;
        return new RnnOutputGradients(dy, dhn, dcn);
    }
}
