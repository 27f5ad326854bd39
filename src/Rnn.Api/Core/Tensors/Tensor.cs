namespace RnnNative;

/// <summary>
/// A dense, row-major float32 array with a shape. Deliberately minimal: the RNN API needs shapes and contiguous
/// memory to hand to native code, and System.Numerics.Tensors' Tensor&lt;T&gt; is still marked experimental.
/// Math over the data goes through spans (and TensorPrimitives).
/// </summary>
public sealed class Tensor
{
    private readonly int[] _shape;

    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape {ShapeToString(shape)} has a negative dimension.", nameof(shape));
            count *= d;
        }
        if (count != data.Length)
            throw new ArgumentException($"Shape {ShapeToString(shape)} holds {count} elements but the data has {data.Length}.", nameof(data));
        Data = data;
        _shape = (int[])shape.Clone();
    }

    public static Tensor Zeros(params int[] shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape {ShapeToString(shape)} has a negative dimension.", nameof(shape));
            count *= d;
        }
        if (count > Array.MaxLength) throw new ArgumentException($"Shape {ShapeToString(shape)} is too large.", nameof(shape));
        return new Tensor(new float[count], shape);
    }

    /// <summary>The elements, row-major.</summary>
    public float[] Data { get; }
    public ReadOnlySpan<int> Shape => _shape;
    public int Rank => _shape.Length;
    public int Length => Data.Length;
    public Span<float> Span => Data;

    public int Dim(int axis) => _shape[axis];

    public Tensor Clone() => new((float[])Data.Clone(), _shape);

    public bool HasShape(params int[] shape) => _shape.AsSpan().SequenceEqual(shape);

    public string ShapeString => ShapeToString(_shape);

    public static string ShapeToString(ReadOnlySpan<int> shape) => "(" + string.Join(", ", shape.ToArray()) + ")";

    public override string ToString() => $"Tensor{ShapeString}";
}
