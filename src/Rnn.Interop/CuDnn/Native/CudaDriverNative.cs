using System.Runtime.InteropServices;

namespace RnnNative.Interop.CuDnn.Native;

/// <summary>
/// The few CUDA driver API calls (libcuda.so.1, installed with the NVIDIA driver) used for the device name: the
/// runtime's cudaDeviceProp layout and entry point changed between CUDA versions, cuDeviceGetName never did.
/// </summary>
internal static unsafe partial class CudaDriverNative
{
    public const string LibraryName = "libcuda.so.1";

    static CudaDriverNative() =>
        InteropLibraryResolver.Register(LibraryName, () => CudaLibraryLocator.Shared.Load(CudaLibraryRole.CudaDriver).Handle);

    /// <summary>CUresult cuInit(unsigned int Flags); Flags must be 0. Returns CUresult (0 = success).</summary>
    [LibraryImport(LibraryName)]
    public static partial int cuInit(uint flags);

    /// <summary>CUresult cuDeviceGet(CUdevice *device, int ordinal); CUdevice is an int.</summary>
    [LibraryImport(LibraryName)]
    public static partial int cuDeviceGet(out int device, int ordinal);

    /// <summary>CUresult cuDeviceGetName(char *name, int len, CUdevice dev); writes a NUL-terminated ASCII name.</summary>
    [LibraryImport(LibraryName)]
    public static partial int cuDeviceGetName(byte* name, int len, int dev);
}
