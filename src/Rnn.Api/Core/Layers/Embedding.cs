using System.Numerics.Tensors;
namespace RnnNative.Models;

/// <summary>
/// A lookup table of learned vectors (PyTorch's nn.Embedding): row i of <c>weight</c> (vocabulary × size) is token i's
/// vector. Initialised from N(0, 1) as PyTorch does. The gradient of a row is the sum of the gradients of its lookups.
/// </summary>
public sealed class Embedding : ITokenInput
{
    public Embedding(int vocabularySize, int size, int seed, string name = "embedding")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var weight = RnnTensors.Zeros(vocabularySize, size);
        var rng = new Random(seed);
        for (int i = 0; i < weight.Length; i++) weight.Span[i] = (float)StandardNormal(rng);
        Weight = new Parameter(name + ".weight", weight);
        VocabularySize = vocabularySize;
        OutputSize = size;
    }

    /// <summary>Around a loaded table (used in place, not copied): <paramref name="weight"/> is (vocabulary, size).</summary>
    public Embedding(Parameter weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Value.Rank != 2 || weight.Value.Dim(0) < 1 || weight.Value.Dim(1) < 1)
            throw new ArgumentException($"{weight.Name} must be 2-D (vocabulary, size); got {weight.Value.ShapeString}.", nameof(weight));
        Weight = weight;
        VocabularySize = weight.Value.Dim(0);
        OutputSize = weight.Value.Dim(1);
    }

    public int VocabularySize { get; }
    public int OutputSize { get; }
    public Parameter Weight { get; }
    public IReadOnlyList<Parameter> Parameters => [Weight];

    public Tensor<float> Forward(ReadOnlySpan<int> ids)
    {
        TokenIds.Validate(ids, VocabularySize, nameof(ids));
        var result = RnnTensors.Zeros(ids.Length, OutputSize);
        for (int i = 0; i < ids.Length; i++) WriteRow(ids[i], result.Span.Slice(i * OutputSize, OutputSize));
        return result;
    }

    public void WriteRow(int token, Span<float> row) => Weight.Value.Span.Slice(token * OutputSize, OutputSize).CopyTo(row);

    public void Backward(ReadOnlySpan<int> ids, Tensor<float> gradOutput)
    {
        LayerShapes.Require(gradOutput, nameof(gradOutput), ids.Length, OutputSize);
        var g = Weight.Gradient.Span;
        for (int i = 0; i < ids.Length; i++)
        {
            var row = g.Slice(ids[i] * OutputSize, OutputSize);
            System.Numerics.Tensors.TensorPrimitives.Add(row, gradOutput.Span.Slice(i * OutputSize, OutputSize), row);
        }
    }

    /// <summary>Box–Muller, so that runs depend only on the seed.</summary>
    private static double StandardNormal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
