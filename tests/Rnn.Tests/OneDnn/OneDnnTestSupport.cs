using RnnNative.Interop.OneDnn;
using System.Numerics.Tensors;

namespace RnnNative.Tests.OneDnn;

/// <summary>Random batches for one spec, the managed reference's answer, and the per-tensor tolerance check.</summary>
internal static class OneDnnTestSupport
{
    public static void RequireBackend()
    {
        var availability = OneDnnBackend.Instance.Availability;
        if (!availability.IsAvailable) Assert.Ignore($"oneDNN backend unavailable here: {availability.Reason}");
    }

    public static Tensor<float> Random(Random rng, params int[] shape)
    {
        var t = RnnTensors.Zeros(shape);
        for (int i = 0; i < t.Length; i++) t.Span[i] = (float)(rng.NextDouble() * 2 - 1);
        return t;
    }

    public static RnnInput RandomInput(RnnSpec spec, Random rng, int seqLen, int batch, int[]? lengths, bool withStates, bool batchFirst)
    {
        var x = batchFirst ? Random(rng, batch, seqLen, spec.InputSize) : Random(rng, seqLen, batch, spec.InputSize);
        int rows = spec.NumLayers * spec.Directions;
        var h0 = withStates ? Random(rng, rows, batch, spec.HiddenStateSize) : null;
        var c0 = withStates && spec.Cell.HasCellState() ? Random(rng, rows, batch, spec.CellStateSize) : null;
        return new RnnInput(x, lengths, h0, c0, batchFirst);
    }
}
