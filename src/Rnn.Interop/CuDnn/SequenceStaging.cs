namespace RnnNative.Interop.CuDnn;

/// <summary>
/// Moves sequence tensors between the API's layout (time-major or batch-first, f32) and cuDNN's time-major buffers
/// in the executor's precision. Steps past a sequence's length are written and read back as zeros, so padded
/// positions never carry stale values in either direction.
/// </summary>
internal static class SequenceStaging
{
    /// <summary>Encodes <paramref name="source"/> ((T, N, C), or (N, T, C) when batch-first) into time-major <paramref name="destination"/>.</summary>
    public static void Stage(ReadOnlySpan<float> source, bool batchFirst, int seqLen, int batch, int width, ReadOnlySpan<int> lengths,
        CuDnnPrecision precision, Span<byte> destination)
    {
        int rowBytes = width * precision.ElementSize;
        for (int t = 0; t < seqLen; t++)
        for (int n = 0; n < batch; n++)
        {
            var row = destination.Slice((t * batch + n) * rowBytes, rowBytes);
            if (t >= lengths[n])
            {
                row.Clear();
                continue;
            }
            int sourceRow = batchFirst ? n * seqLen + t : t * batch + n;
            precision.Encode(source.Slice(sourceRow * width, width), row);
        }
    }

    /// <summary>Decodes time-major <paramref name="source"/> into <paramref name="destination"/> in the caller's layout, zeros at padded steps.</summary>
    public static void Unstage(ReadOnlySpan<byte> source, bool batchFirst, int seqLen, int batch, int width, ReadOnlySpan<int> lengths,
        CuDnnPrecision precision, Span<float> destination)
    {
        int rowBytes = width * precision.ElementSize;
        for (int t = 0; t < seqLen; t++)
        for (int n = 0; n < batch; n++)
        {
            int targetRow = batchFirst ? n * seqLen + t : t * batch + n;
            var row = destination.Slice(targetRow * width, width);
            if (t >= lengths[n]) row.Clear();
            else precision.Decode(source.Slice((t * batch + n) * rowBytes, rowBytes), row);
        }
    }
}
