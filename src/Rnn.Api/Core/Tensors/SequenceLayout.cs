using System.Numerics.Tensors;
namespace RnnNative;

/// <summary>Swaps the first two axes of a 3-D tensor: (N, T, C) ⇄ (T, N, C). Backends compute time-major.</summary>
public static class SequenceLayout
{
    public static Tensor<float> SwapBatchAndTime(Tensor<float> x)
    {
        if (x.Rank != 3) throw new ArgumentException($"Expected a 3-D tensor; got shape {x.ShapeString}.", nameof(x));
        int a = x.Dim(0), b = x.Dim(1), c = x.Dim(2);
        var result = new float[x.Length];
        var src = x.Span;
        for (int i = 0; i < a; i++)
        for (int j = 0; j < b; j++)
            src.Slice((i * b + j) * c, c).CopyTo(result.AsSpan((j * a + i) * c));
        return RnnTensors.Create(result, b, a, c);
    }

    /// <summary>The tensor in time-major order; the same instance when it already is.</summary>
    public static Tensor<float> ToTimeMajor(Tensor<float> x, bool batchFirst) => batchFirst ? SwapBatchAndTime(x) : x;

    /// <summary>A time-major tensor in the caller's layout.</summary>
    public static Tensor<float> FromTimeMajor(Tensor<float> x, bool batchFirst) => batchFirst ? SwapBatchAndTime(x) : x;
}
