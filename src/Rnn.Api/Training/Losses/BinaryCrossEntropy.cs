using RnnNative.Models;
using System.Numerics.Tensors;

namespace RnnNative.Training;

/// <summary>
/// Binary cross-entropy from logits (PyTorch's nn.BCEWithLogitsLoss, mean reduction): per element
/// max(z, 0) − z·y + log(1 + e^−|z|), which never takes the log of a rounded-off probability. Targets in [0, 1];
/// the mask drops elements (padded steps) from the mean.
/// </summary>
public static class BinaryCrossEntropy
{
    public static LossResult Compute(Tensor<float> logits, float[] targets, bool[]? mask = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        LayerShapes.RequireLength(targets, nameof(targets), logits.Length);
        LayerShapes.RequireLength(mask, nameof(mask), logits.Length);
        var grad = RnnTensors.Zeros(logits.Shape.ToArray());
        double total = 0;
        int count = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            if (mask is not null && !mask[i]) continue;
            double y = targets[i];
            if (!(y >= 0 && y <= 1))
                throw new ArgumentException($"targets[{i}] = {y} is not in [0, 1].", nameof(targets));
            double z = logits.Span[i];
            total += Math.Max(z, 0) - z * y + Math.Log(1 + Math.Exp(-Math.Abs(z)));
            grad.Span[i] = (float)(1.0 / (1.0 + Math.Exp(-z)) - y);
            count++;
        }
        if (count == 0) return new LossResult(0, grad, 0);
        System.Numerics.Tensors.TensorPrimitives.Multiply(grad.Span, 1f / count, grad.Span);
        return new LossResult(total / count, grad, count);
    }
}
