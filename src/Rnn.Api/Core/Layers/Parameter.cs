using System.Numerics.Tensors;
namespace RnnNative.Models;

/// <summary>
/// One trainable tensor with its accumulated gradient, named as in a PyTorch state_dict ("fc.weight", "rnn.weight_ih_l0").
/// Layers compute with <see cref="Value"/> in place, so an optimizer step is visible to them without copying. The
/// gradient is made on first use, so a layer built around loaded weights only to run holds no second copy of them.
/// </summary>
public sealed class Parameter
{
    private Tensor<float>? _gradient;

    public Parameter(string name, Tensor<float> value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Value = value;
    }

    public string Name { get; }
    public Tensor<float> Value { get; }

    /// <summary>The accumulated gradient, shaped as <see cref="Value"/>; zeros until a backward pass adds to it.</summary>
    public Tensor<float> Gradient => _gradient ?? LazyInitializer.EnsureInitialized(ref _gradient, () => RnnTensors.Zeros(Value.Shape.ToArray()));

    public void ZeroGradient() => _gradient?.Span.Clear();

    public override string ToString() => $"{Name}{Value.ShapeString}";
}
