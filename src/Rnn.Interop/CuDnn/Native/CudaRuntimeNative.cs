using System.Runtime.InteropServices;

namespace RnnNative.Interop.CuDnn.Native;

/// <summary>
/// The CUDA runtime API (libcudart.so.13 or .so.12, found by <see cref="CudaLibraryLocator"/>). Every function returns
/// a <see cref="CudaError"/>; <see cref="CudaStatusCheck.Check"/> turns failures into exceptions with the runtime's own text.
/// </summary>
internal static unsafe partial class CudaRuntimeNative
{
    /// <summary>A logical name: the resolver maps it to whichever libcudart major version was found.</summary>
    public const string LibraryName = "rnnnative-cudart";

    /// <summary>cudaStreamNonBlocking: the stream does not synchronise with the legacy default stream.</summary>
    public const uint StreamNonBlocking = 0x01;

    static CudaRuntimeNative() =>
        InteropLibraryResolver.Register(LibraryName, () => CudaLibraryLocator.Shared.Load(CudaLibraryRole.CudaRuntime).Handle);

    [LibraryImport(LibraryName)]
    public static partial CudaError cudaGetDeviceCount(out int count);

    [LibraryImport(LibraryName)]
    public static partial CudaError cudaSetDevice(int device);

    [LibraryImport(LibraryName)]
    public static partial CudaError cudaDeviceGetAttribute(out int value, CudaDeviceAttribute attr, int device);

    [LibraryImport(LibraryName)]
    public static partial CudaError cudaRuntimeGetVersion(out int runtimeVersion);

    [LibraryImport(LibraryName)]
    public static partial CudaError cudaDriverGetVersion(out int driverVersion);

    [LibraryImport(LibraryName)]
    public static partial CudaError cudaMemGetInfo(out nuint free, out nuint total);

    [LibraryImport(LibraryName)]
    public static partial CudaError cudaMalloc(out IntPtr devPtr, nuint size);

    [LibraryImport(LibraryName)]
    public static partial CudaError cudaFree(IntPtr devPtr);

    [LibraryImport(LibraryName)]
    public static partial CudaError cudaMallocHost(out IntPtr ptr, nuint size);

    [LibraryImport(LibraryName)]
    public static partial CudaError cudaFreeHost(IntPtr ptr);

    [LibraryImport(LibraryName)]
    public static partial CudaError cudaMemcpyAsync(IntPtr dst, IntPtr src, nuint count, CudaMemcpyKind kind, CudaStream stream);

    [LibraryImport(LibraryName)]
    public static partial CudaError cudaMemsetAsync(IntPtr devPtr, int value, nuint count, CudaStream stream);

    [LibraryImport(LibraryName)]
    public static partial CudaError cudaStreamCreateWithFlags(out IntPtr pStream, uint flags);

    [LibraryImport(LibraryName)]
    public static partial CudaError cudaStreamDestroy(IntPtr stream);

    [LibraryImport(LibraryName)]
    public static partial CudaError cudaStreamSynchronize(CudaStream stream);

    /// <summary>Returns a static string owned by the runtime; read it with Marshal.PtrToStringUTF8, never free it.</summary>
    [LibraryImport(LibraryName)]
    public static partial IntPtr cudaGetErrorString(CudaError error);

    /// <summary>Returns a static string owned by the runtime ("cudaErrorNoDevice").</summary>
    [LibraryImport(LibraryName)]
    public static partial IntPtr cudaGetErrorName(CudaError error);
}
