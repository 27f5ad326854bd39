using System.Runtime.InteropServices;

namespace RnnNative.Interop.OneDnn;

/// <summary>rnn_model_desc: the model geometry, precision and thread count the shim prepares an executor for.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeModelDesc
{
    public int Cell;
    public int InputSize;
    public int HiddenSize;
    public int NumLayers;
    public int Bidirectional;
    public int HasBias;
    public int Precision;
    public int Threads;

    public static NativeModelDesc From(RnnSpec spec, RnnExecutorOptions options) => new()
    {
        // The shim's rnn_cell values follow RnnCellKind's order: tanh, relu, lstm, gru.
        Cell = spec.Cell switch
        {
            RnnCellKind.RnnTanh => 0,
            RnnCellKind.RnnRelu => 1,
            RnnCellKind.Lstm => 2,
            RnnCellKind.Gru => 3,
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Cell, "Unknown cell kind."),
        },
        InputSize = spec.InputSize,
        HiddenSize = spec.HiddenSize,
        NumLayers = spec.NumLayers,
        Bidirectional = spec.Bidirectional ? 1 : 0,
        HasBias = spec.HasBias ? 1 : 0,
        Precision = options.Precision switch
        {
            RnnPrecision.F32 => 0,
            RnnPrecision.Bf16 => 1,
            RnnPrecision.F16 => 2,
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Precision, "Unknown precision."),
        },
        Threads = options.Threads,
    };
}
