using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>Our cell kinds as cuDNN RNN modes; cuDNN's GRU is PyTorch's (reset gate applied after the recurrent matmul).</summary>
internal static class CuDnnCellModes
{
    public static CuDnnRnnMode For(RnnCellKind cell) => cell switch
    {
        RnnCellKind.RnnTanh => CuDnnRnnMode.RnnTanh,
        RnnCellKind.RnnRelu => CuDnnRnnMode.RnnRelu,
        RnnCellKind.Lstm => CuDnnRnnMode.Lstm,
        RnnCellKind.Gru => CuDnnRnnMode.Gru,
        _ => throw new ArgumentOutOfRangeException(nameof(cell), cell, "Unknown cell kind."),
    };
}
