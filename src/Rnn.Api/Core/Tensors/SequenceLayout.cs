namespace RnnNative;

/// <summary>Swaps the first two axes of a 3-D tensor: (N, T, C) ⇄ (T, N, C). Backends compute time-major.</summary>
public static class SequenceLayout
{
    public static Tensor SwapBatchAndTime(Tensor x)
    {
        if (x.Rank != 3) throw new ArgumentException($"Expected a 3-D tensor; got shape {x.ShapeString}.", nameof(x));
        int a = x.Dim(0), b = x.Dim(1), c = x.Dim(2);
        var result = new float[x.Length];
        var src = x.Data;
        for (int i = 0; i < a; i++)
        for (int j = 0; j < b; j++)
            Array.Copy(src, (i * b + j) * c, result, (j * a + i) * c, c);
        return new Tensor(result, b, a, c);
    }

    /// <summary>The tensor in time-major order; the same instance when it already is.</summary>
    public static Tensor ToTimeMajor(Tensor x, bool batchFirst) => batchFirst ? SwapBatchAndTime(x) : x;

    /// <summary>A time-major tensor in the caller's layout.</summary>
    public static Tensor FromTimeMajor(Tensor x, bool batchFirst) => batchFirst ? SwapBatchAndTime(x) : x;
}
