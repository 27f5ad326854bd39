using System.Numerics.Tensors;

namespace RnnNative.Inference;

/// <summary>The final dense layer (PyTorch's nn.Linear, weight out × in) and the softmax over its logits.</summary>
internal sealed class OutputProjection
{
    private readonly float[] _weight;
    private readonly float[]? _bias;

    public OutputProjection(Tensor<float> weight, Tensor<float>? bias)
    {
        _weight = weight.Span.ToArray();
        _bias = bias is null ? null : bias.Span.ToArray();
        Classes = weight.Dim(0);
        InputSize = weight.Dim(1);
    }

    public int Classes { get; }
    public int InputSize { get; }

    public void Logits(ReadOnlySpan<float> features, Span<float> logits)
    {
        for (int o = 0; o < Classes; o++)
            logits[o] = TensorPrimitives.Dot(_weight.AsSpan(o * InputSize, InputSize), features) + (_bias is null ? 0f : _bias[o]);
    }

    /// <summary>Softmax with the maximum subtracted and the sum in double.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        float max = TensorPrimitives.Max(logits);
        double sum = 0;
        for (int i = 0; i < logits.Length; i++) sum += Math.Exp(logits[i] - (double)max);
        for (int i = 0; i < logits.Length; i++) probabilities[i] = (float)(Math.Exp(logits[i] - (double)max) / sum);
    }
}
