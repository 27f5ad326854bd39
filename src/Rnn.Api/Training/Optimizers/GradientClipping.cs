using RnnNative.Models;

namespace RnnNative.Training;

/// <summary>The lecture notes' remedy for exploding gradients, as PyTorch's clip_grad_norm_ and clip_grad_value_.</summary>
public static class GradientClipping
{
    /// <summary>The L2 norm of all gradients together.</summary>
    public static double GlobalNorm(IEnumerable<Parameter> parameters)
    {
        double sum = 0;
        foreach (var p in parameters)
            foreach (float g in p.Gradient.Span) sum += (double)g * g;
        return Math.Sqrt(sum);
    }

    /// <summary>Scales all gradients by maxNorm/(norm + 1e-6) when their global norm exceeds maxNorm; returns the norm before.</summary>
    public static double ClipByGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum norm must be positive.");
        double norm = GlobalNorm(parameters);
        if (norm > maxNorm)
        {
            float scale = (float)(maxNorm / (norm + 1e-6));
            foreach (var p in parameters)
                System.Numerics.Tensors.TensorPrimitives.Multiply(p.Gradient.Span, scale, p.Gradient.Span);
        }
        return norm;
    }

    /// <summary>Clamps every gradient element into [−limit, limit].</summary>
    public static void ClipByValue(IEnumerable<Parameter> parameters, double limit)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(limit > 0)) throw new ArgumentOutOfRangeException(nameof(limit), limit, "The clipping limit must be positive.");
        float l = (float)limit;
        foreach (var p in parameters)
        {
            var g = p.Gradient.Span;
            System.Numerics.Tensors.TensorPrimitives.Min(g, l, g);
            System.Numerics.Tensors.TensorPrimitives.Max(g, -l, g);
        }
    }
}
