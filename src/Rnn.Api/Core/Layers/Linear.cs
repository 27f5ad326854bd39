using System.Numerics.Tensors;

namespace RnnNative.Models;

/// <summary>
/// A dense layer y = x·Wᵀ + b (PyTorch's nn.Linear: weight is out × in). Initialised as PyTorch does: weight and bias
/// uniform in ±1/√in, or built around loaded tensors. Training and inference both compute through <see cref="Apply"/>.
/// </summary>
public sealed class Linear
{
    public Linear(int inputSize, int outputSize, int seed, string name = "fc", bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        InputSize = inputSize;
        OutputSize = outputSize;
        var rng = new Random(seed);
        float bound = 1f / MathF.Sqrt(inputSize);
        Weight = new Parameter(name + ".weight", Uniform(rng, bound, outputSize, inputSize));
        Bias = bias ? new Parameter(name + ".bias", Uniform(rng, bound, outputSize)) : null;
    }

    /// <summary>Around loaded tensors (used in place, not copied): <paramref name="weight"/> (out, in), <paramref name="bias"/> (out) or none.</summary>
    public Linear(Parameter weight, Parameter? bias)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Value.Rank != 2 || weight.Value.Dim(0) < 1 || weight.Value.Dim(1) < 1)
            throw new ArgumentException($"{weight.Name} must be 2-D (out, in); got {weight.Value.ShapeString}.", nameof(weight));
        OutputSize = weight.Value.Dim(0);
        InputSize = weight.Value.Dim(1);
        if (bias is not null && !bias.Value.HasShape(OutputSize))
            throw new ArgumentException($"{bias.Name} has shape {bias.Value.ShapeString}; expected ({OutputSize}).", nameof(bias));
        Weight = weight;
        Bias = bias;
    }

    public int InputSize { get; }
    public int OutputSize { get; }
    public Parameter Weight { get; }
    public Parameter? Bias { get; }
    public IReadOnlyList<Parameter> Parameters => Bias is null ? [Weight] : [Weight, Bias];

    /// <summary>x (rows, in) → y (rows, out).</summary>
    public Tensor<float> Forward(Tensor<float> input)
    {
        LayerShapes.RequireMatrix(input, nameof(input), InputSize, "input features");
        int rows = input.Dim(0);
        var y = RnnTensors.Zeros(rows, OutputSize);
        for (int r = 0; r < rows; r++) Apply(input.Span.Slice(r * InputSize, InputSize), y.Span.Slice(r * OutputSize, OutputSize));
        return y;
    }

    /// <summary>One row: x (in) → y (out), allocating nothing; safe from several threads while the weights stay unchanged.</summary>
    public void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != InputSize) throw new ArgumentException($"The row has {x.Length} values; the layer reads {InputSize}.", nameof(x));
        if (y.Length < OutputSize) throw new ArgumentException($"The output row has room for {y.Length} values; the layer writes {OutputSize}.", nameof(y));
        ReadOnlySpan<float> w = Weight.Value.Span;
        ReadOnlySpan<float> b = Bias is null ? default : Bias.Value.Span;
        for (int o = 0; o < OutputSize; o++)
            y[o] = TensorPrimitives.Dot(w.Slice(o * InputSize, InputSize), x) + (b.IsEmpty ? 0f : b[o]);
    }

    /// <summary>Accumulates dW += dyᵀ·x and db += Σ dy; returns dx = dy·W.</summary>
    public Tensor<float> Backward(Tensor<float> input, Tensor<float> gradOutput)
    {
        LayerShapes.RequireMatrix(input, nameof(input), InputSize, "input features");
        int rows = input.Dim(0);
        LayerShapes.Require(gradOutput, nameof(gradOutput), rows, OutputSize);
        var dx = RnnTensors.Zeros(rows, InputSize);
        var w = Weight.Value.Span;
        var dw = Weight.Gradient.Span;
        var db = Bias is null ? default : Bias.Gradient.Span;
        for (int r = 0; r < rows; r++)
        {
            var x = input.Span.Slice(r * InputSize, InputSize);
            var dxRow = dx.Span.Slice(r * InputSize, InputSize);
            for (int o = 0; o < OutputSize; o++)
            {
                float g = gradOutput.Span[r * OutputSize + o];
                if (g == 0f) continue;
                var dwRow = dw.Slice(o * InputSize, InputSize);
                TensorPrimitives.MultiplyAdd(x, g, dwRow, dwRow);
                TensorPrimitives.MultiplyAdd(w.Slice(o * InputSize, InputSize), g, dxRow, dxRow);
                if (!db.IsEmpty) db[o] += g;
            }
        }
        return dx;
    }

    private static Tensor<float> Uniform(Random rng, float bound, params int[] shape)
    {
        var t = RnnTensors.Zeros(shape);
        for (int i = 0; i < t.Length; i++) t.Span[i] = (float)(rng.NextDouble() * 2 - 1) * bound;
        return t;
    }
}
