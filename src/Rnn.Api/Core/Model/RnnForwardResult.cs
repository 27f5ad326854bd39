using System.Numerics.Tensors;
namespace RnnNative;

/// <summary>
/// The result of a forward pass: y (T, N, D·H) — (N, T, D·H) for batch-first input — with zeros at padded steps,
/// h_n and c_n (L·D, N, H) taken at each sequence's own last step. In training mode it also carries the
/// <see cref="Context"/> that <see cref="RnnExecutor.Backward"/> needs; dispose the result to release it.
/// </summary>
public sealed class RnnForwardResult : IDisposable
{
    public RnnForwardResult(Tensor<float> output, Tensor<float> hidden, Tensor<float>? cell, RnnTrainingContext? context)
    {
        Output = output;
        Hidden = hidden;
        Cell = cell;
        Context = context;
    }

    public Tensor<float> Output { get; }
    public Tensor<float> Hidden { get; }
    public Tensor<float>? Cell { get; }
    public RnnTrainingContext? Context { get; }

    public void Dispose() => Context?.Dispose();
}
