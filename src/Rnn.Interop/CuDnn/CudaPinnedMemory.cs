using Microsoft.Win32.SafeHandles;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>Page-locked host memory (cudaMallocHost): the only host memory cudaMemcpyAsync copies truly asynchronously.</summary>
internal sealed class CudaPinnedMemory : SafeHandleZeroOrMinusOneIsInvalid
{
    private CudaPinnedMemory(long bytes) : base(ownsHandle: true) => Bytes = bytes;

    public long Bytes { get; }

    public IntPtr Address => DangerousGetHandle();

    public static CudaPinnedMemory Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        var error = CudaRuntimeNative.cudaMallocHost(out var raw, (nuint)bytes);
        if (error != CudaError.Success)
            throw CudaStatusCheck.ToException("cudaMallocHost", error, $"{CudaStatusCheck.Describe(error)} (requested {bytes} bytes)");
        var memory = new CudaPinnedMemory(bytes);
        memory.SetHandle(raw);
        return memory;
    }

    protected override bool ReleaseHandle() => CudaRuntimeNative.cudaFreeHost(handle) == CudaError.Success;
}
