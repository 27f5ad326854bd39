using System.Runtime.InteropServices;

namespace RnnNative.Interop.OneDnn;

/// <summary>
/// rnn_model_desc: the model geometry (projection included), precision and thread count the shim prepares an executor
/// for, then how it runs (chunk length, direction parallelism, int8 batch split, primitive-cache bound; 0 = the default).
/// </summary>
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
    public int ProjSize;
    public int ChunkSteps;             // 0: default (32); -1: layer-major
    public int ParallelDirections;     // 0: automatic; 1: always; -1: never
    public int Int8BatchSplit;         // 0: default (split); 1: split; -1: never
    public int PrimitiveCacheCapacity; // 0: default (32, or 128 for int8)
    public int SmallBatchPath;

    public static NativeModelDesc From(RnnSpec spec, RnnExecutorOptions options) => new()
    {
        Cell = (int)(spec.Cell switch
        {
            RnnCellKind.RnnTanh => NativeCell.Tanh,
            RnnCellKind.RnnRelu => NativeCell.Relu,
            RnnCellKind.Lstm => NativeCell.Lstm,
            RnnCellKind.Gru => NativeCell.Gru,
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Cell, "Unknown cell kind."),
        }),
        InputSize = spec.InputSize,
        HiddenSize = spec.HiddenSize,
        NumLayers = spec.NumLayers,
        Bidirectional = spec.Bidirectional ? 1 : 0,
        HasBias = spec.HasBias ? 1 : 0,
        Precision = (int)(options.Precision switch
        {
            RnnPrecision.F32 => NativePrecision.F32,
            RnnPrecision.Bf16 => NativePrecision.Bf16,
            RnnPrecision.F16 => NativePrecision.F16,
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Precision, "Unknown precision."),
        }),
        Threads = options.Threads,
        ProjSize = spec.ProjectionSize,
        ChunkSteps = options.ChunkSteps switch { null => 0, 0 => -1, int steps => steps },
        ParallelDirections = options.ParallelDirections switch { null => 0, true => 1, false => -1 },
        Int8BatchSplit = options.Int8BatchSplit ? 1 : -1,
        PrimitiveCacheCapacity = options.PrimitiveCacheCapacity ?? 0,
        SmallBatchPath = (int)options.SmallBatchPath,
    };
}
