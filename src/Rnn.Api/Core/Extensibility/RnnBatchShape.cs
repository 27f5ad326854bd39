using System.Numerics.Tensors;

namespace RnnNative.Extensibility;

/// <summary>
/// The validated geometry of a batch: sequence length, batch size and each sequence's length.
/// Produced by <see cref="RnnBatchValidator"/>, shared by every backend.
/// </summary>
public sealed record RnnBatchShape(int SeqLen, int Batch, int[] Lengths, bool BatchFirst)
{
    public bool AllFullLength => Lengths.All(l => l == SeqLen);

    /// <summary>A zero-filled sequence tensor of this batch in the caller's layout: (T, N, width), or (N, T, width) batch-first.</summary>
    public Tensor<float> NewSequence(int width) => BatchFirst ? RnnTensors.Zeros(Batch, SeqLen, width) : RnnTensors.Zeros(SeqLen, Batch, width);
}
