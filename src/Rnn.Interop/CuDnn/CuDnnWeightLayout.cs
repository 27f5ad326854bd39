using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>
/// Where every PyTorch gate matrix and bias lives in cuDNN's weight space, as cudnnGetRNNWeightParams reports it.
/// Offsets are never assumed: they are queried once, checked (shape, type, bounds, no overlap), and then used to
/// build a host image of the whole weight space (one upload) and to read gradients back (one download).
/// </summary>
internal sealed class CuDnnWeightLayout
{
    private CuDnnWeightLayout(RnnSpec spec, CuDnnPrecision precision, long sizeInBytes, IReadOnlyList<CuDnnWeightPlacement> placements)
    {
        Spec = spec;
        Precision = precision;
        SizeInBytes = sizeInBytes;
        Placements = placements;
    }

    public RnnSpec Spec { get; }
    public CuDnnPrecision Precision { get; }
    public long SizeInBytes { get; }
    public IReadOnlyList<CuDnnWeightPlacement> Placements { get; }

    public static CuDnnWeightLayout Query(CuDnnHandle handle, CuDnnRnnDescriptor rnn, RnnSpec spec, CuDnnPrecision precision,
        CudaDeviceMemory weightSpace)
    {
        using var matrixDesc = CuDnnTensorDescriptor.Create();
        using var biasDesc = CuDnnTensorDescriptor.Create();
        var placements = new List<CuDnnWeightPlacement>();
        var blocks = CuDnnWeightMapping.For(spec);
        foreach (var group in blocks.GroupBy(b => (b.PseudoLayer, b.LinLayerId)))
        {
            CuDnnStatusCheck.Check(CuDnnNative.cudnnGetRNNWeightParams(handle, rnn, group.Key.PseudoLayer, (nuint)weightSpace.Bytes,
                weightSpace.Address, group.Key.LinLayerId, matrixDesc, out var matrixAddress, biasDesc, out var biasAddress),
                $"cudnnGetRNNWeightParams(pseudoLayer {group.Key.PseudoLayer}, linLayerID {group.Key.LinLayerId})");
            foreach (var block in group)
            {
                var (address, descriptor) = block.IsBias ? (biasAddress, biasDesc) : (matrixAddress, matrixDesc);
                placements.Add(Place(block, address, descriptor, weightSpace, precision));
            }
        }
        CheckDisjoint(placements, precision);
        return new CuDnnWeightLayout(spec, precision, weightSpace.Bytes, placements);
    }

    /// <summary>Writes every parameter into <paramref name="image"/> (the whole weight space, cleared first).</summary>
    public void Pack(RnnParameters parameters, Span<byte> image)
    {
        image.Clear();
        int size = Precision.ElementSize;
        foreach (var (block, offset) in Placements)
        {
            var source = parameters[block.Parameter].Span.Slice(block.SourceOffset, block.ElementCount);
            Precision.Encode(source, image.Slice((int)offset, block.ElementCount * size));
        }
    }

    /// <summary>Reads a weight-space image (e.g. the weight gradients) back into PyTorch-layout parameters.</summary>
    public RnnParameters Unpack(ReadOnlySpan<byte> image)
    {
        var parameters = RnnParameters.Zeros(Spec);
        int size = Precision.ElementSize;
        foreach (var (block, offset) in Placements)
        {
            var target = parameters[block.Parameter].Span.Slice(block.SourceOffset, block.ElementCount);
            Precision.Decode(image.Slice((int)offset, block.ElementCount * size), target);
        }
        return parameters;
    }

    private static CuDnnWeightPlacement Place(CuDnnWeightBlock block, IntPtr address, CuDnnTensorDescriptor descriptor,
        CudaDeviceMemory weightSpace, CuDnnPrecision precision)
    {
        string what = $"{(block.IsBias ? "bias" : "matrix")} of linLayerID {block.LinLayerId}, pseudoLayer {block.PseudoLayer} ({block.Parameter}, gate {block.Gate})";
        if (address == IntPtr.Zero)
            throw new InvalidOperationException($"cuDNN reports no {what}; the model needs a {block.Rows}×{block.Columns} block there.");
        var (dataType, dims) = descriptor.Get();
        long count = dims.Aggregate(1L, (a, d) => a * d);
        if (dataType != precision.DataType || count != block.ElementCount)
            throw new InvalidOperationException(
                $"cuDNN describes the {what} as {dataType} [{string.Join(", ", dims)}]; expected {precision.DataType} with {block.Rows}×{block.Columns} elements.");
        long offset = address - weightSpace.Address;
        long bytes = (long)block.ElementCount * precision.ElementSize;
        if (offset < 0 || offset + bytes > weightSpace.Bytes || offset % precision.ElementSize != 0)
            throw new InvalidOperationException($"cuDNN placed the {what} at byte {offset}, outside the {weightSpace.Bytes}-byte weight space.");
        return new CuDnnWeightPlacement(block, offset);
    }

    private static void CheckDisjoint(List<CuDnnWeightPlacement> placements, CuDnnPrecision precision)
    {
        var ordered = placements.OrderBy(p => p.ByteOffset).ToList();
        for (int i = 1; i < ordered.Count; i++)
        {
            var previous = ordered[i - 1];
            long previousEnd = previous.ByteOffset + (long)previous.Block.ElementCount * precision.ElementSize;
            if (ordered[i].ByteOffset < previousEnd)
                throw new InvalidOperationException(
                    $"cuDNN's weight blocks overlap: {previous.Block.Parameter} gate {previous.Block.Gate} and {ordered[i].Block.Parameter} gate {ordered[i].Block.Gate}.");
        }
    }
}
