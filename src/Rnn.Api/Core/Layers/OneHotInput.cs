using System.Numerics.Tensors;
namespace RnnNative.Models;

/// <summary>Token i becomes the unit vector e_i: the lecture notes' one-hot letters. Nothing to learn.</summary>
public sealed class OneHotInput(int vocabularySize) : ITokenInput
{
    public int VocabularySize { get; } = vocabularySize >= 1
        ? vocabularySize
        : throw new ArgumentOutOfRangeException(nameof(vocabularySize), vocabularySize, "The vocabulary needs at least one token.");

    public int OutputSize => VocabularySize;
    public IReadOnlyList<Parameter> Parameters => [];

    public Tensor<float> Forward(ReadOnlySpan<int> ids)
    {
        TokenIds.Validate(ids, VocabularySize, nameof(ids));
        var result = RnnTensors.Zeros(ids.Length, VocabularySize);
        for (int i = 0; i < ids.Length; i++) WriteRow(ids[i], result.Span.Slice(i * VocabularySize, VocabularySize));
        return result;
    }

    public void WriteRow(int token, Span<float> row)
    {
        row[..VocabularySize].Clear();
        row[token] = 1f;
    }

    public void Backward(ReadOnlySpan<int> ids, Tensor<float> gradOutput) =>
        LayerShapes.Require(gradOutput, nameof(gradOutput), ids.Length, VocabularySize);
}
