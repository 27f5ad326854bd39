namespace RnnNative.Interop.CuDnn;

/// <summary>Device scratch of one call workspace that only grows, so steady-state calls allocate no device memory.</summary>
internal sealed class GrowableDeviceBuffer(int device) : IDisposable
{
    private CudaDeviceMemory? _memory;

    /// <summary>A buffer of at least <paramref name="bytes"/>; previous contents are lost when it grows.</summary>
    public IntPtr Ensure(long bytes)
    {
        if (bytes == 0) return IntPtr.Zero;
        if (_memory is null || _memory.Bytes < bytes)
        {
            long grown = Math.Max(bytes, (_memory?.Bytes ?? 0) * 3 / 2);
            _memory?.Dispose();
            _memory = null;
            _memory = CudaDeviceMemory.Allocate(device, grown);
        }
        return _memory.Address;
    }

    public void Dispose() => _memory?.Dispose();
}
