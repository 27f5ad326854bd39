using RnnNative.Models;
using System.Numerics.Tensors;

namespace RnnNative.Training;

/// <summary>Mean squared error (PyTorch's nn.MSELoss): mean of (p − y)² over the elements the mask keeps.</summary>
public static class MeanSquaredError
{
    public static LossResult Compute(Tensor<float> predictions, float[] targets, bool[]? mask = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        LayerShapes.RequireLength(targets, nameof(targets), predictions.Length);
        LayerShapes.RequireLength(mask, nameof(mask), predictions.Length);
        var grad = RnnTensors.Zeros(predictions.Shape.ToArray());
        double total = 0;
        int count = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            if (mask is not null && !mask[i]) continue;
            double d = predictions.Span[i] - (double)targets[i];
            total += d * d;
            grad.Span[i] = (float)(2 * d);
            count++;
        }
        if (count == 0) return new LossResult(0, grad, 0);
        System.Numerics.Tensors.TensorPrimitives.Multiply(grad.Span, 1f / count, grad.Span);
        return new LossResult(total / count, grad, count);
    }
}
