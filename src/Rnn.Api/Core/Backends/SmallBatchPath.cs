namespace RnnNative;

/// <summary>
/// Which path runs a CPU backend's inference call. The oneDNN backend has two: oneDNN's RNN primitive, built for large
/// batches, and a small-batch path that splits each layer's weights across the call's threads once (each thread's
/// share stays in its core's cache); it is faster for batches up to about 16 on several threads (docs/small-batch.md,
/// which also gives what <see cref="Auto"/> chooses). In bf16 it keeps the recurrent weights in bf16 and everything else in f32; an int8
/// LSTM keeps its calibration and s8 weights and returns h as computed, where the primitive returns it dequantized from
/// u8 (the two differ by at most half a quantization step). Training always runs the primitive; the other backends
/// ignore it.
/// </summary>
public enum SmallBatchPath
{
    /// <summary>The small-batch path for small batches, the primitive for larger ones.</summary>
    Auto = 0,

    /// <summary>The small-batch path for every inference call, whatever its batch.</summary>
    Always = 1,

    /// <summary>oneDNN's RNN primitive for every call.</summary>
    Never = 2,
}
