using RnnNative.Interop.OneDnn;
using RnnNative.Managed;
using static RnnNative.Tests.OneDnn.OneDnnTestSupport;

namespace RnnNative.Tests.OneDnn;

/// <summary>
/// Unidirectional inference runs chunk-major in the shim: a few steps of every layer, then the next few, each layer
/// carrying its own h and c from one chunk to the next. These sequences span several chunks (of at most 32 steps) so
/// that every layer crosses chunk boundaries with live rows, with given initial states, lengths that end inside a
/// chunk, a length of one, and both the sorted (in-place) and the unsorted (gathered) paths.
/// </summary>
public class OneDnnChunkedInferenceTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        // cell, layers, projection, lengths (null: all full), batch-first
        yield return new TestCaseData(RnnCellKind.Lstm, 3, 0, new[] { 140, 100, 1, 120, 90, 138 }, false).SetName("Lstm_3L_UnsortedVarLen");
        yield return new TestCaseData(RnnCellKind.Lstm, 2, 0, new[] { 140, 138, 120, 100, 34, 1 }, true).SetName("Lstm_2L_SortedVarLen_InPlace_BatchFirst");
        yield return new TestCaseData(RnnCellKind.Lstm, 2, 0, null, false).SetName("Lstm_2L_FullLength_InPlace");
        yield return new TestCaseData(RnnCellKind.Lstm, 2, 3, new[] { 66, 140, 32, 1, 140, 96 }, true).SetName("LstmProjection_2L_UnsortedVarLen_BatchFirst");
        yield return new TestCaseData(RnnCellKind.Gru, 3, 0, new[] { 140, 100, 1, 120, 90, 138 }, true).SetName("Gru_3L_UnsortedVarLen_BatchFirst");
        yield return new TestCaseData(RnnCellKind.RnnTanh, 2, 0, null, true).SetName("RnnTanh_2L_FullLength_InPlace_BatchFirst");
    }

    [TestCaseSource(nameof(Cases))]
    public void InferenceAcrossChunksMatchesTheReference(RnnCellKind cell, int layers, int projection, int[]? lengths, bool batchFirst)
    {
        RequireBackend();
        const int seqLen = 140, batch = 6, inputSize = 5, hidden = 7;
        var spec = new RnnSpec(cell, inputSize, hidden, layers, bidirectional: false, hasBias: true, projectionSize: projection);
        var parameters = RnnParameters.InitializeUniform(spec, seed: 21);
        var input = RandomInput(spec, new Random(22), seqLen, batch, lengths, withStates: true, batchFirst);

        using var reference = ManagedBackend.Instance.CreateExecutor(parameters);
        // Chunk-major is oneDNN's primitive path; a batch this small would otherwise take the small-batch path.
        using var exec = OneDnnBackend.Instance.CreateExecutor(parameters, new RnnExecutorOptions(SmallBatchPath: SmallBatchPath.Never));
        using var expected = reference.Forward(input);
        using var actual = exec.Forward(input);
        TensorAssert.Close(actual.Output, expected.Output, TensorAssert.F32, "y");
        TensorAssert.Close(actual.Hidden, expected.Hidden, TensorAssert.F32, "h_n");
        TensorAssert.Close(actual.Cell, expected.Cell, TensorAssert.F32, "c_n");
    }
}
