namespace RnnNative.Formats;

/// <summary>An integer array read from a .npy file (int32, or int64 narrowed with a range check), row-major.</summary>
public sealed record NpyInt32Array(int[] Shape, int[] Data);
