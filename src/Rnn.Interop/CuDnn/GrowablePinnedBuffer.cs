namespace RnnNative.Interop.CuDnn;

/// <summary>Pinned host staging of one call workspace that only grows: inputs are encoded into it, outputs decoded from it.</summary>
internal sealed class GrowablePinnedBuffer : IDisposable
{
    private CudaPinnedMemory? _memory;

    public IntPtr Ensure(long bytes)
    {
        if (bytes == 0) return IntPtr.Zero;
        if (_memory is null || _memory.Bytes < bytes)
        {
            long grown = Math.Max(bytes, (_memory?.Bytes ?? 0) * 3 / 2);
            _memory?.Dispose();
            _memory = null;
            _memory = CudaPinnedMemory.Allocate(grown);
        }
        return _memory.Address;
    }

    public void Dispose() => _memory?.Dispose();
}
