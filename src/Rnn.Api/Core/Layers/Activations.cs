using System.Numerics.Tensors;

namespace RnnNative.Models;

/// <summary>Row-wise softmax and log-softmax over the last axis, and element-wise sigmoid, with their backward passes.</summary>
public static class Activations
{
    /// <summary>Softmax of each row; see <see cref="Softmax(ReadOnlySpan{float}, Span{float})"/>.</summary>
    public static Tensor<float> Softmax(Tensor<float> logits)
    {
        var (rows, cols) = Matrix(logits, nameof(logits));
        var p = RnnTensors.Zeros(logits.Shape.ToArray());
        for (int r = 0; r < rows; r++) Softmax(logits.Span.Slice(r * cols, cols), p.Span.Slice(r * cols, cols));
        return p;
    }

    /// <summary>
    /// One row: exp(x − max) / Σ exp(x − max), the sum in double (a float sum drifts over a large vocabulary; without
    /// the max, logits near 100 overflow to NaN). Allocates nothing: the inference heads call it per row.
    /// </summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        RequireRow(logits, probabilities.Length);
        double max = TensorPrimitives.Max(logits), sum = 0;
        for (int i = 0; i < logits.Length; i++) sum += Math.Exp(logits[i] - max);
        for (int i = 0; i < logits.Length; i++) probabilities[i] = (float)(Math.Exp(logits[i] - max) / sum);
    }

    /// <summary>
    /// The same softmax kept in double, for a loss that differentiates through it (the probabilities are not rounded to
    /// float before p − 1). Returns log Σ exp(x − max), which cross-entropy needs as well.
    /// </summary>
    public static double Softmax(ReadOnlySpan<float> logits, Span<double> probabilities)
    {
        RequireRow(logits, probabilities.Length);
        double max = TensorPrimitives.Max(logits), sum = 0;
        for (int i = 0; i < logits.Length; i++) sum += probabilities[i] = Math.Exp(logits[i] - max);
        for (int i = 0; i < logits.Length; i++) probabilities[i] /= sum;
        return Math.Log(sum);
    }

    /// <summary>x − max − log Σ exp(x − max), stable for large logits.</summary>
    public static Tensor<float> LogSoftmax(Tensor<float> logits)
    {
        var (rows, cols) = Matrix(logits, nameof(logits));
        var result = RnnTensors.Zeros(logits.Shape.ToArray());
        for (int r = 0; r < rows; r++)
        {
            var x = logits.Span.Slice(r * cols, cols);
            var y = result.Span.Slice(r * cols, cols);
            float max = TensorPrimitives.Max(x);
            double sum = 0;
            foreach (float v in x) sum += Math.Exp(v - max);
            // Subtract in two steps: max + log Σ in float would round away the small part next to a large max.
            TensorPrimitives.Subtract(x, max, y);
            TensorPrimitives.Subtract(y, (float)Math.Log(sum), y);
        }
        return result;
    }

    public static Tensor<float> Sigmoid(Tensor<float> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = RnnTensors.Zeros(x.Shape.ToArray());
        TensorPrimitives.Sigmoid(x.Span, y.Span);
        return y;
    }

    /// <summary>Given p = softmax(x) and dL/dp: dL/dx = p ⊙ (dp − ⟨dp, p⟩) per row.</summary>
    public static Tensor<float> SoftmaxBackward(Tensor<float> probabilities, Tensor<float> gradOutput)
    {
        var (rows, cols) = Matrix(probabilities, nameof(probabilities));
        LayerShapes.Require(gradOutput, nameof(gradOutput), rows, cols);
        var dx = RnnTensors.Zeros(rows, cols);
        for (int r = 0; r < rows; r++)
        {
            var p = probabilities.Span.Slice(r * cols, cols);
            var g = gradOutput.Span.Slice(r * cols, cols);
            var d = dx.Span.Slice(r * cols, cols);
            float dot = TensorPrimitives.Dot(p, g);
            TensorPrimitives.Subtract(g, dot, d);
            TensorPrimitives.Multiply(d, p, d);
        }
        return dx;
    }

    /// <summary>Given y = log_softmax(x) and dL/dy: dL/dx = dy − softmax(x)·Σ dy per row.</summary>
    public static Tensor<float> LogSoftmaxBackward(Tensor<float> logProbabilities, Tensor<float> gradOutput)
    {
        var (rows, cols) = Matrix(logProbabilities, nameof(logProbabilities));
        LayerShapes.Require(gradOutput, nameof(gradOutput), rows, cols);
        var dx = RnnTensors.Zeros(rows, cols);
        for (int r = 0; r < rows; r++)
        {
            var y = logProbabilities.Span.Slice(r * cols, cols);
            var g = gradOutput.Span.Slice(r * cols, cols);
            var d = dx.Span.Slice(r * cols, cols);
            float sum = TensorPrimitives.Sum(g);
            TensorPrimitives.Exp(y, d);
            TensorPrimitives.Multiply(d, -sum, d);
            TensorPrimitives.Add(d, g, d);
        }
        return dx;
    }

    /// <summary>Given s = sigmoid(x) and dL/ds: dL/dx = dL/ds ⊙ s ⊙ (1 − s).</summary>
    public static Tensor<float> SigmoidBackward(Tensor<float> output, Tensor<float> gradOutput)
    {
        ArgumentNullException.ThrowIfNull(output);
        LayerShapes.Require(gradOutput, nameof(gradOutput), output.Shape.ToArray());
        var dx = RnnTensors.Zeros(output.Shape.ToArray());
        for (int i = 0; i < dx.Length; i++)
        {
            float s = output.Span[i];
            dx.Span[i] = gradOutput.Span[i] * s * (1f - s);
        }
        return dx;
    }

    private static void RequireRow(ReadOnlySpan<float> logits, int room)
    {
        if (logits.IsEmpty) throw new ArgumentException("A softmax needs at least one logit.", nameof(logits));
        if (room < logits.Length) throw new ArgumentException($"The probabilities have room for {room} values; there are {logits.Length} logits.", "probabilities");
    }

    private static (int Rows, int Cols) Matrix(Tensor<float> t, string argument)
    {
        ArgumentNullException.ThrowIfNull(t, argument);
        if (t.Rank != 2 || t.Dim(1) < 1)
            throw new ArgumentException($"{argument} must be 2-D (rows, classes); got {t.ShapeString}.", argument);
        return (t.Dim(0), t.Dim(1));
    }
}
