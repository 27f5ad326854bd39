using RnnNative.Models;
using System.Numerics.Tensors;

namespace RnnNative.Training;

/// <summary>
/// Softmax cross-entropy over classes from raw logits, as PyTorch's nn.CrossEntropyLoss with mean reduction:
/// L = Σ_r w_r·(−log softmax(x_r)[t_r]) / Σ_r w_r, where w_r = classWeights[t_r] (1 without weights) and 0 for rows the
/// mask excludes (padded steps). One row per sequence (many-to-one) or per step (many-to-many). Computed in double.
/// </summary>
public static class SoftmaxCrossEntropy
{
    public static LossResult Compute(Tensor<float> logits, int[] targets, bool[]? mask = null, float[]? classWeights = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 2 || logits.Dim(1) < 1)
            throw new ArgumentException($"logits must be 2-D (rows, classes); got {logits.ShapeString}.", nameof(logits));
        ArgumentNullException.ThrowIfNull(targets);
        int rows = logits.Dim(0), classes = logits.Dim(1);
        LayerShapes.RequireLength(targets, nameof(targets), rows);
        LayerShapes.RequireLength(mask, nameof(mask), rows);
        LayerShapes.RequireLength(classWeights, nameof(classWeights), classes);

        var grad = RnnTensors.Zeros(rows, classes);
        var prob = new double[classes];
        double total = 0, weightSum = 0;
        for (int r = 0; r < rows; r++)
        {
            if (mask is not null && !mask[r]) continue;
            int t = targets[r];
            if ((uint)t >= (uint)classes)
                throw new ArgumentException($"targets[{r}] = {t} is not a class index in [0, {classes}).", nameof(targets));
            double w = classWeights?[t] ?? 1.0;
            var x = logits.Span.Slice(r * classes, classes);
            double logSum = Activations.Softmax(x, prob);
            total += w * (logSum - (x[t] - (double)TensorPrimitives.Max(x)));
            weightSum += w;
            for (int c = 0; c < classes; c++) prob[c] = w * (prob[c] - (c == t ? 1 : 0));
            for (int c = 0; c < classes; c++) grad.Span[r * classes + c] = (float)prob[c];
        }
        if (weightSum <= 0) return new LossResult(0, grad, 0);
        System.Numerics.Tensors.TensorPrimitives.Multiply(grad.Span, (float)(1.0 / weightSum), grad.Span);
        return new LossResult(total / weightSum, grad, weightSum);
    }
}
