namespace RnnNative.Interop.CuDnn;

/// <summary>Lays out several buffers in one allocation, each start aligned to 256 bytes (safe for every cuDNN pointer).</summary>
internal sealed class RegionPlan
{
    public const long Alignment = 256;

    public long TotalBytes { get; private set; }

    /// <summary>Reserves <paramref name="bytes"/> (0 gives an empty region, i.e. a NULL pointer).</summary>
    public DeviceRegion Add(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes == 0) return new DeviceRegion(0, 0);
        long offset = (TotalBytes + Alignment - 1) / Alignment * Alignment;
        TotalBytes = checked(offset + bytes);
        return new DeviceRegion(offset, bytes);
    }
}
