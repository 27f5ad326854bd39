using System.Buffers;
using System.Numerics.Tensors;

namespace RnnNative.Inference;

/// <summary>
/// The outputs of one <see cref="RecurrentNetwork"/> pass in pooled memory: y (T, N, D·S), h_n and c_n (L·D, N, ·).
/// The executor writes them in place (its caller-memory entry), so a steady stream of batches reuses the same arrays
/// instead of allocating three per batch. Dispose returns them to the pool; the tensors must not be used after that.
/// </summary>
internal sealed class RecurrentNetworkPass : IDisposable
{
    private float[]? _output, _hidden, _cell;

    public RecurrentNetworkPass(RnnSpec spec, int seqLen, int batch)
    {
        var (y, hidden, cell) = RnnOutputBuffers.Sizes(spec, seqLen, batch);
        int rows = spec.NumLayers * spec.Directions;
        _output = ArrayPool<float>.Shared.Rent(y);
        _hidden = ArrayPool<float>.Shared.Rent(hidden);
        Output = Tensor.Create(_output, 0, [seqLen, batch, spec.OutputSize], default);
        Hidden = Tensor.Create(_hidden, 0, [rows, batch, spec.HiddenStateSize], default);
        if (cell > 0)
        {
            _cell = ArrayPool<float>.Shared.Rent(cell);
            Cell = Tensor.Create(_cell, 0, [rows, batch, spec.CellStateSize], default);
        }
    }

    public Tensor<float> Output { get; }
    public Tensor<float> Hidden { get; }
    public Tensor<float>? Cell { get; }

    /// <summary>The buffers the executor writes into.</summary>
    public RnnOutputBuffers Buffers => new(Output.Span, Hidden.Span, Cell is null ? default : Cell.Span);

    public void Dispose()
    {
        Return(ref _output);
        Return(ref _hidden);
        Return(ref _cell);
    }

    private static void Return(ref float[]? array)
    {
        if (array is null) return;
        ArrayPool<float>.Shared.Return(array);
        array = null;
    }
}
