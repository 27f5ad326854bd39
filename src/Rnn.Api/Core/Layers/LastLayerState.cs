namespace RnnNative.Models;

/// <summary>
/// What a many-to-one model reads of the RNN: one sequence's final state of the last layer, directions side by side
/// (PyTorch's <c>h_n[-1]</c>, or <c>torch.cat((h_n[-2], h_n[-1]), 1)</c> when bidirectional), from h_n laid out
/// (L·D, N, H); and the way back for the gradient.
/// </summary>
internal static class LastLayerState
{
    /// <summary>Copies sequence <paramref name="sequence"/>'s last-layer rows of <paramref name="hidden"/> into <paramref name="features"/> (D·H).</summary>
    public static void Gather(RnnSpec spec, ReadOnlySpan<float> hidden, int batch, int sequence, Span<float> features)
    {
        int dirs = spec.Directions, h = spec.HiddenStateSize, first = (spec.NumLayers - 1) * dirs;
        for (int d = 0; d < dirs; d++)
            hidden.Slice(((first + d) * batch + sequence) * h, h).CopyTo(features.Slice(d * h, h));
    }

    /// <summary>The reverse of <see cref="Gather"/>: writes <paramref name="features"/> (D·H) into sequence <paramref name="sequence"/>'s last-layer rows of <paramref name="hidden"/>.</summary>
    public static void Scatter(RnnSpec spec, ReadOnlySpan<float> features, int batch, int sequence, Span<float> hidden)
    {
        int dirs = spec.Directions, h = spec.HiddenStateSize, first = (spec.NumLayers - 1) * dirs;
        for (int d = 0; d < dirs; d++)
            features.Slice(d * h, h).CopyTo(hidden.Slice(((first + d) * batch + sequence) * h, h));
    }
}
