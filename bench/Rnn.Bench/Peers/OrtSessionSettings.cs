using Microsoft.ML.OnnxRuntime;

namespace RnnNative.Bench.Peers;

/// <summary>The ONNX Runtime session settings the suite's peers run with: every graph optimization on.</summary>
internal static class OrtSessionSettings
{
    /// <summary>A call on <paramref name="threads"/> intra-op threads (ORT's own choice of the rest).</summary>
    public static SessionOptions WithThreads(int threads) =>
        new() { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };

    /// <summary>A call on its caller's thread alone: one intra-op thread, no inter-op pool, sequential execution.</summary>
    public static SessionOptions OneThreadPerCall() => new()
    {
        IntraOpNumThreads = 1,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };
}
