using RnnNative.Models;
using System.Numerics.Tensors;

namespace RnnNative.Inference;

/// <summary>
/// A token input (<see cref="Embedding"/> or <see cref="OneHotInput"/>) laid out as inference feeds the executor:
/// padded time-major batches, zeros past each sequence's end, and a token check that reports instead of throwing.
/// </summary>
internal static class TokenInputBatches
{
    /// <summary>The reason a token sequence cannot be read, or null.</summary>
    public static string? Check(this ITokenInput input, int[] tokens)
    {
        int i = TokenIds.FirstOutside(tokens, input.VocabularySize);
        return i < 0 ? null : $"token id {tokens[i]} at step {i} is outside the vocabulary [0, {input.VocabularySize})";
    }

    /// <summary>(T, N, width) time-major, zeros past each sequence's end.</summary>
    public static Tensor<float> Embed(this ITokenInput input, IReadOnlyList<int[]> sequences, int steps)
    {
        int n = sequences.Count, width = input.OutputSize;
        var x = RnnTensors.Zeros(steps, n, width);
        for (int b = 0; b < n; b++)
        {
            var seq = sequences[b];
            for (int t = 0; t < seq.Length && t < steps; t++) input.WriteRow(seq[t], x.Span.Slice((t * n + b) * width, width));
        }
        return x;
    }

    /// <summary>One step (1, N, width) of one token per sequence.</summary>
    public static Tensor<float> EmbedStep(this ITokenInput input, int[] tokens)
    {
        int width = input.OutputSize;
        var x = RnnTensors.Zeros(1, tokens.Length, width);
        for (int b = 0; b < tokens.Length; b++) input.WriteRow(tokens[b], x.Span.Slice(b * width, width));
        return x;
    }
}
