using System.Numerics.Tensors;
namespace RnnNative.Models;

/// <summary>Shape checks shared by the layers and losses; errors name the argument, the expected and the actual shape.</summary>
public static class LayerShapes
{
    public static void Require(Tensor<float> tensor, string argument, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(tensor, argument);
        if (!tensor.HasShape(shape))
            throw new ArgumentException($"{argument} must have shape {RnnTensors.ShapeToString(shape)}; got {tensor.ShapeString}.", argument);
    }

    public static void RequireMatrix(Tensor<float> tensor, string argument, int columns, string columnMeaning)
    {
        ArgumentNullException.ThrowIfNull(tensor, argument);
        if (tensor.Rank != 2 || tensor.Dim(1) != columns)
            throw new ArgumentException($"{argument} must be 2-D (rows, {columns}) with {columns} {columnMeaning}; got {tensor.ShapeString}.", argument);
    }

    public static void RequireLength<T>(T[]? array, string argument, int length)
    {
        if (array is not null && array.Length != length)
            throw new ArgumentException($"{argument} must have {length} entries; got {array.Length}.", argument);
    }
}
