namespace RnnNative.Interop.CuDnn;

/// <summary>
/// Moves sequence tensors between the API's layout (time-major or batch-first, f32) and cuDNN's time-major buffers
/// in the executor's precision. Steps past a sequence's length are written and read back as zeros, so padded
/// positions never carry stale values in either direction.
/// </summary>
internal static class SequenceStaging
{
    /// <summary>Encodes <paramref name="source"/> ((T, N, C), or (N, T, C) when batch-first) into time-major <paramref name="destination"/>.</summary>
    public static void Stage(Tensor source, bool batchFirst, int seqLen, int batch, int width, int[] lengths,
        CuDnnPrecision precision, Span<byte> destination)
    {
        int rowBytes = width * precision.ElementSize;
        var data = source.Data;
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
            precision.Encode(data.AsSpan(sourceRow * width, width), row);
        }
    }

    /// <summary>Decodes time-major <paramref name="source"/> into a new tensor in the caller's layout, zeros at padded steps.</summary>
    public static Tensor Unstage(ReadOnlySpan<byte> source, bool batchFirst, int seqLen, int batch, int width, int[] lengths,
        CuDnnPrecision precision)
    {
        var result = batchFirst ? Tensor.Zeros(batch, seqLen, width) : Tensor.Zeros(seqLen, batch, width);
        int rowBytes = width * precision.ElementSize;
        var data = result.Data;
        for (int t = 0; t < seqLen; t++)
        for (int n = 0; n < batch; n++)
        {
            if (t >= lengths[n]) continue;
            int targetRow = batchFirst ? n * seqLen + t : t * batch + n;
            precision.Decode(source.Slice((t * batch + n) * rowBytes, rowBytes), data.AsSpan(targetRow * width, width));
        }
        return result;
    }
}
