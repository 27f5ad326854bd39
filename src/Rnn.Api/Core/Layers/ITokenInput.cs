using System.Numerics.Tensors;
namespace RnnNative.Models;

/// <summary>Turns token ids into the vectors an RNN reads: a learned <see cref="Embedding"/> or a fixed <see cref="OneHotInput"/>.</summary>
public interface ITokenInput
{
    int VocabularySize { get; }

    /// <summary>Width of each produced vector.</summary>
    int OutputSize { get; }

    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>One row (OutputSize wide) per id, in the ids' order.</summary>
    Tensor<float> Forward(ReadOnlySpan<int> ids);

    /// <summary>
    /// Writes the vector of <paramref name="token"/> (inside the vocabulary) over the first OutputSize values of
    /// <paramref name="row"/>, allocating nothing; safe from several threads while the weights stay unchanged.
    /// </summary>
    void WriteRow(int token, Span<float> row);

    /// <summary>Accumulates the gradients of the rows produced for <paramref name="ids"/>.</summary>
    void Backward(ReadOnlySpan<int> ids, Tensor<float> gradOutput);
}
