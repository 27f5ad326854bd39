using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace RnnNative;

/// <summary>
/// Helpers for the dense, row-major <see cref="Tensor{T}"/> values the API takes and returns: creation from an array
/// and an <see cref="int"/> shape (the array is wrapped, not copied), and a flat span over all elements, since the
/// native backends read and write contiguous memory. <see cref="Tensor{T}"/> has no rank 0, so a scalar (an empty
/// shape, as a 0-D entry of a safetensors or .npy file) becomes a one-element vector of shape (1).
/// </summary>
public static class RnnTensors
{
    /// <summary>A tensor over <paramref name="data"/> (not a copy) with the given shape; an empty shape means (1).</summary>
    public static Tensor<float> Create(float[] data, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (shape.IsEmpty) shape = [1];
        long count = ElementCount(shape, nameof(shape));
        if (count != data.Length)
            throw new ArgumentException($"Shape {ShapeToString(shape)} holds {count} elements but the data has {data.Length}.", nameof(data));
        return Tensor.Create(data, ToLengths(shape));
    }

    /// <summary>A zero-filled tensor of the given shape; an empty shape means (1).</summary>
    public static Tensor<float> Zeros(params ReadOnlySpan<int> shape)
    {
        if (shape.IsEmpty) shape = [1];
        long count = ElementCount(shape, nameof(shape));
        if (count > Array.MaxLength) throw new ArgumentException($"Shape {ShapeToString(shape)} is too large.", nameof(shape));
        return Tensor.Create(new float[count], ToLengths(shape));
    }

    /// <summary>"(a, b, c)".</summary>
    public static string ShapeToString(ReadOnlySpan<int> shape) => "(" + string.Join(", ", shape.ToArray()) + ")";

    /// <summary>"(a, b, c)".</summary>
    public static string ShapeToString(ReadOnlySpan<nint> lengths) => "(" + string.Join(", ", lengths.ToArray()) + ")";

    extension(Tensor<float> tensor)
    {
        /// <summary>All elements, row-major, as one span over the tensor's memory (not a copy). The tensor must be dense.</summary>
        public Span<float> Span
        {
            get
            {
                if (tensor.FlattenedLength == 0) return [];
                if (!tensor.IsDense) throw new ArgumentException("The tensor is not dense: pass a contiguous tensor (ToDenseTensor()).", nameof(tensor));
                return MemoryMarshal.CreateSpan(ref tensor.GetPinnableReference(), checked((int)tensor.FlattenedLength));
            }
        }

        /// <summary>The number of elements.</summary>
        public int Length => checked((int)tensor.FlattenedLength);

        /// <summary>The length of one axis.</summary>
        public int Dim(int axis) => checked((int)tensor.Lengths[axis]);

        /// <summary>The lengths of all axes.</summary>
        public int[] Shape => ToShape(tensor.Lengths);

        /// <summary>"(a, b, c)".</summary>
        public string ShapeString => ShapeToString(tensor.Lengths);

        /// <summary>Whether the tensor has exactly this shape.</summary>
        public bool HasShape(params ReadOnlySpan<int> shape)
        {
            var lengths = tensor.Lengths;
            if (lengths.Length != shape.Length) return false;
            for (int i = 0; i < shape.Length; i++)
                if (lengths[i] != shape[i]) return false;
            return true;
        }

        /// <summary>The same elements (not a copy) seen with another shape of the same element count.</summary>
        public Tensor<float> WithShape(params ReadOnlySpan<int> shape)
        {
            long count = ElementCount(shape, nameof(shape));
            if (count != tensor.FlattenedLength)
                throw new ArgumentException($"Shape {ShapeToString(shape)} holds {count} elements but the tensor has {tensor.FlattenedLength}.", nameof(shape));
            return Tensor.Reshape(tensor, ToLengths(shape));
        }

        /// <summary>A dense copy with its own memory.</summary>
        public Tensor<float> Clone() => Create(tensor.Span.ToArray(), tensor.Shape);
    }

    extension(ReadOnlyTensorSpan<float> tensor)
    {
        /// <summary>All elements, row-major, as one span over the tensor's memory (not a copy). The tensor must be dense.</summary>
        public ReadOnlySpan<float> Span
        {
            get
            {
                if (tensor.FlattenedLength == 0) return [];
                if (!tensor.IsDense) throw new ArgumentException("The tensor span is not dense: pass contiguous memory.", nameof(tensor));
                return MemoryMarshal.CreateReadOnlySpan(in TensorMarshal.GetReference(in tensor), checked((int)tensor.FlattenedLength));
            }
        }
    }

    extension(TensorSpan<float> tensor)
    {
        /// <summary>All elements, row-major, as one span over the tensor's memory (not a copy). The tensor must be dense.</summary>
        public Span<float> Span
        {
            get
            {
                if (tensor.FlattenedLength == 0) return [];
                if (!tensor.IsDense) throw new ArgumentException("The tensor span is not dense: pass contiguous memory.", nameof(tensor));
                return MemoryMarshal.CreateSpan(ref TensorMarshal.GetReference(in tensor), checked((int)tensor.FlattenedLength));
            }
        }
    }

    internal static int[] ToShape(ReadOnlySpan<nint> lengths)
    {
        var shape = new int[lengths.Length];
        for (int i = 0; i < shape.Length; i++) shape[i] = checked((int)lengths[i]);
        return shape;
    }

    private static nint[] ToLengths(ReadOnlySpan<int> shape)
    {
        var lengths = new nint[shape.Length];
        for (int i = 0; i < shape.Length; i++) lengths[i] = shape[i];
        return lengths;
    }

    private static long ElementCount(ReadOnlySpan<int> shape, string paramName)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape {ShapeToString(shape)} has a negative dimension.", paramName);
            count *= d;
        }
        return count;
    }
}
