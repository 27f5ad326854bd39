namespace RnnNative.Interop.CuDnn;

/// <summary>A slice of a larger allocation (device or pinned host); an empty region stands for a NULL pointer.</summary>
internal readonly record struct DeviceRegion(long Offset, long Bytes)
{
    public bool IsEmpty => Bytes == 0;

    public IntPtr At(IntPtr baseAddress) => IsEmpty ? IntPtr.Zero : baseAddress + (nint)Offset;

    /// <summary>The region as a host span over pinned memory at <paramref name="baseAddress"/>.</summary>
    public unsafe Span<byte> AsSpan(IntPtr baseAddress)
    {
        if (Bytes > int.MaxValue)
            throw new NotSupportedException($"One tensor of {Bytes} bytes exceeds the 2 GiB staging limit of the cuDNN backend; split the batch.");
        return new Span<byte>((byte*)baseAddress + Offset, (int)Bytes);
    }
}
