using System.Numerics.Tensors;
namespace RnnNative.Inference;

/// <summary>Token ids → input vectors for inference: rows of an embedding table, or one-hot when there is none.</summary>
internal sealed class TokenInputTable
{
    private readonly float[]? _embedding;

    public TokenInputTable(Tensor<float>? embedding, int oneHotVocabulary)
    {
        _embedding = embedding is null ? null : embedding.Span.ToArray();
        VocabularySize = embedding?.Dim(0) ?? oneHotVocabulary;
        Width = embedding?.Dim(1) ?? oneHotVocabulary;
    }

    public int VocabularySize { get; }
    public int Width { get; }

    /// <summary>The reason a token sequence cannot be read, or null.</summary>
    public string? Check(int[] tokens)
    {
        for (int i = 0; i < tokens.Length; i++)
            if ((uint)tokens[i] >= (uint)VocabularySize)
                return $"token id {tokens[i]} at step {i} is outside the vocabulary [0, {VocabularySize})";
        return null;
    }

    /// <summary>(T, N, width) time-major, zeros past each sequence's end.</summary>
    public Tensor<float> Embed(IReadOnlyList<int[]> sequences, int steps)
    {
        int n = sequences.Count;
        var x = RnnTensors.Zeros(steps, n, Width);
        for (int b = 0; b < n; b++)
        {
            var seq = sequences[b];
            for (int t = 0; t < seq.Length && t < steps; t++) Write(seq[t], x.Span, (t * n + b) * Width);
        }
        return x;
    }

    /// <summary>One step (1, N, width) of one token per sequence.</summary>
    public Tensor<float> EmbedStep(int[] tokens)
    {
        var x = RnnTensors.Zeros(1, tokens.Length, Width);
        for (int b = 0; b < tokens.Length; b++) Write(tokens[b], x.Span, b * Width);
        return x;
    }

    private void Write(int token, Span<float> target, int offset)
    {
        if (_embedding is null) target[offset + token] = 1f;
        else _embedding.AsSpan(token * Width, Width).CopyTo(target.Slice(offset));
    }
}
