using System.Numerics.Tensors;

namespace RnnNative.Models;

/// <summary>
/// A dense layer y = x·Wᵀ + b (PyTorch's nn.Linear: weight is out × in). Initialised as PyTorch does: weight and bias
/// uniform in ±1/√in.
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
        var w = Weight.Value.Span;
        var b = Bias is null ? default : Bias.Value.Span;
        for (int r = 0; r < rows; r++)
        {
            var x = input.Span.Slice(r * InputSize, InputSize);
            for (int o = 0; o < OutputSize; o++)
                y.Span[r * OutputSize + o] = TensorPrimitives.Dot(w.Slice(o * InputSize, InputSize), x) + (b.IsEmpty ? 0f : b[o]);
        }
        return y;
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
