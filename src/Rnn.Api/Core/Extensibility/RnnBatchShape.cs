namespace RnnNative.Extensibility;

/// <summary>
/// The validated geometry of a batch: sequence length, batch size and each sequence's length.
/// Produced by <see cref="RnnBatchValidator"/>, shared by every backend.
/// </summary>
public sealed record RnnBatchShape(int SeqLen, int Batch, int[] Lengths, bool BatchFirst)
{
    public bool AllFullLength => Lengths.All(l => l == SeqLen);
}
