using System.Numerics.Tensors;
namespace RnnNative.Models;

/// <summary>
/// One trainable tensor with its accumulated gradient, named as in a PyTorch state_dict ("fc.weight", "rnn.weight_ih_l0").
/// Layers compute with <see cref="Value"/> in place, so an optimizer step is visible to them without copying.
/// </summary>
public sealed class Parameter
{
    public Parameter(string name, Tensor<float> value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Value = value;
        Gradient = RnnTensors.Zeros(value.Shape.ToArray());
    }

    public string Name { get; }
    public Tensor<float> Value { get; }
    public Tensor<float> Gradient { get; }

    public void ZeroGradient() => Gradient.Span.Clear();

    public override string ToString() => $"{Name}{Value.ShapeString}";
}
