namespace RnnNative.Interop.CuDnn;

/// <summary>A weight block and the byte offset cuDNN gave it inside the weight space.</summary>
internal readonly record struct CuDnnWeightPlacement(CuDnnWeightBlock Block, long ByteOffset);
