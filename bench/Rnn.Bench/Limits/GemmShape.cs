using RnnNative.Cli.Benchmarking;

namespace RnnNative.Bench.Limits;

/// <summary>C (M×N) = A (M×K) · B (K×N), row-major; <see cref="Count"/> times per forward pass.</summary>
public sealed record GemmShape(long M, long N, long K, long Count = 1)
{
    /// <summary>Multiply-adds counted as two operations, for one GEMM.</summary>
    public double Operations => 2.0 * M * N * K;

    public override string ToString() => $"{M}×{N}×{K}";
}

/// <summary>
/// The gate GEMMs of one forward pass at the shapes that bound it: per layer and direction, the inputs of the whole
/// sequence against W_ih (M = T·batch, N = G·H, K = the layer's input width) and the hidden states against W_hh,
/// batched over time in the same way (M = T·batch, N = G·H, K = H). Their operations sum to
/// <see cref="RnnSpec.ForwardFlops"/>. An RNN cannot batch its recurrent GEMM over time (each step needs the last h),
/// so it runs T of them at M = batch; the limit leaves that dependency out on purpose, so that it is an upper bound on
/// what the machine's GEMM can do for this work, and the distance to it is what the recurrence (and the gate
/// nonlinearities) cost. Equal shapes are merged (<see cref="GemmShape.Count"/>).
/// </summary>
public static class GateGemms
{
    public static IReadOnlyList<GemmShape> For(StandardConfiguration configuration) =>
        For(configuration.Spec, configuration.Batch, configuration.SeqLen);

    public static IReadOnlyList<GemmShape> For(RnnSpec spec, int batch, int seqLen)
    {
        ArgumentNullException.ThrowIfNull(spec);
        long rows = (long)seqLen * batch, gates = (long)spec.GateCount * spec.HiddenSize;
        var shapes = new List<GemmShape>();
        void Add(long k)
        {
            int same = shapes.FindIndex(s => s.K == k);
            if (same >= 0) shapes[same] = shapes[same] with { Count = shapes[same].Count + spec.Directions };
            else shapes.Add(new GemmShape(rows, gates, k, spec.Directions));
        }
        for (int layer = 0; layer < spec.NumLayers; layer++)
        {
            Add(spec.LayerInputSize(layer));
            Add(spec.HiddenSize);
        }
        return shapes;
    }

    public static double TotalOperations(IEnumerable<GemmShape> shapes) => shapes.Sum(s => s.Operations * s.Count);
}
