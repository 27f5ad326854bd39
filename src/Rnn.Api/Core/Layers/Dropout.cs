using System.Numerics.Tensors;
namespace RnnNative.Models;

/// <summary>
/// Inverted dropout (PyTorch's nn.Dropout): in training each element is zeroed with probability p and the rest are
/// scaled by 1/(1−p), so inference needs no rescaling. Masks come from the layer's own seeded generator, so a run is
/// reproducible from its seed.
/// </summary>
public sealed class Dropout
{
    private readonly Random _rng;

    public Dropout(double probability, int seed)
    {
        if (!(probability >= 0 && probability < 1))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Dropout probability must be in [0, 1).");
        Probability = probability;
        _rng = new Random(seed);
    }

    public double Probability { get; }

    /// <summary>A fresh mask of 0 and 1/(1−p) for <paramref name="length"/> elements.</summary>
    public float[] NextMask(int length)
    {
        var mask = new float[length];
        float keep = (float)(1.0 / (1.0 - Probability));
        for (int i = 0; i < length; i++) mask[i] = _rng.NextDouble() < Probability ? 0f : keep;
        return mask;
    }

    /// <summary>x ⊙ mask; the same call applies the mask to the gradient in the backward pass.</summary>
    public static Tensor<float> Apply(Tensor<float> x, float[] mask)
    {
        if (mask.Length != x.Length)
            throw new ArgumentException($"The dropout mask has {mask.Length} entries but the tensor {x.ShapeString} has {x.Length}.", nameof(mask));
        var y = RnnTensors.Zeros(x.Shape.ToArray());
        System.Numerics.Tensors.TensorPrimitives.Multiply(x.Span, mask, y.Span);
        return y;
    }
}
