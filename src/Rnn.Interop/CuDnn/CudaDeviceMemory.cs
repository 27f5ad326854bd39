using Microsoft.Win32.SafeHandles;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>One cudaMalloc allocation on one device (256-byte aligned or better, as cuDNN wants).</summary>
internal sealed class CudaDeviceMemory : SafeHandleZeroOrMinusOneIsInvalid
{
    private CudaDeviceMemory(int device, long bytes) : base(ownsHandle: true)
    {
        Device = device;
        Bytes = bytes;
    }

    public int Device { get; }
    public long Bytes { get; }

    /// <summary>The device address; valid while this handle is alive (callers keep it alive for the call).</summary>
    public IntPtr Address => DangerousGetHandle();

    public static CudaDeviceMemory Allocate(int device, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        var error = CudaRuntimeNative.cudaMalloc(out var raw, (nuint)bytes);
        if (error != CudaError.Success)
            throw CudaStatusCheck.ToException("cudaMalloc", error, $"{CudaStatusCheck.Describe(error)} (requested {bytes} bytes on device {device})");
        var memory = new CudaDeviceMemory(device, bytes);
        memory.SetHandle(raw);
        return memory;
    }

    protected override bool ReleaseHandle()
    {
        // The allocation belongs to its device's context; free it there even when released from another thread.
        CudaRuntimeNative.cudaSetDevice(Device);
        return CudaRuntimeNative.cudaFree(handle) == CudaError.Success;
    }
}
