using RnnNative.Benchmarking;

namespace RnnNative.Bench.Limits;

/// <summary>C (M×N) = A (M×K) · B (K×N), row-major; <see cref="Count"/> times per forward pass.</summary>
public sealed record GemmShape(long M, long N, long K, long Count = 1)
{
    /// <summary>Multiply-adds counted as two operations, for one GEMM.</summary>
    public double Operations => 2.0 * M * N * K;

    public override string ToString() => $"{M}×{N}×{K}";
}

/// <summary>
/// The gate GEMMs of one forward pass, as oneDNN's RNN (and ONNX Runtime's) splits the work: per layer and direction,
/// one GEMM of the whole sequence's inputs against W_ih (M = T·batch, N = G·H, K = the layer's input width), then one
/// recurrent GEMM per step against W_hh (M = batch, N = G·H, K = H). Their operations sum to
/// <see cref="RnnSpec.ForwardFlops"/>; what is left of a pass (gate nonlinearities, bias) is not GEMM work.
/// </summary>
public static class GateGemms
{
    public static IReadOnlyList<GemmShape> For(StandardConfiguration configuration) =>
        For(configuration.Spec, configuration.Batch, configuration.SeqLen);

    public static IReadOnlyList<GemmShape> For(RnnSpec spec, int batch, int seqLen)
    {
        ArgumentNullException.ThrowIfNull(spec);
        long gates = (long)spec.GateCount * spec.HiddenSize;
        var shapes = new List<GemmShape>();
        for (int layer = 0; layer < spec.NumLayers; layer++)
        {
            var input = new GemmShape((long)seqLen * batch, gates, spec.LayerInputSize(layer), spec.Directions);
            int same = shapes.FindIndex(s => s with { Count = 1 } == input with { Count = 1 });
            if (same >= 0) shapes[same] = shapes[same] with { Count = shapes[same].Count + input.Count };
            else shapes.Add(input);
        }
        shapes.Add(new GemmShape(batch, gates, spec.HiddenSize, (long)seqLen * spec.NumLayers * spec.Directions));
        return shapes;
    }

    public static double TotalOperations(IEnumerable<GemmShape> shapes) => shapes.Sum(s => s.Operations * s.Count);
}
