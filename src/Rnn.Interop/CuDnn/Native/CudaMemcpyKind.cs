namespace RnnNative.Interop.CuDnn.Native;

/// <summary>cudaMemcpyKind (driver_types.h).</summary>
internal enum CudaMemcpyKind
{
    HostToHost = 0,
    HostToDevice = 1,
    DeviceToHost = 2,
    DeviceToDevice = 3,
    Default = 4,
}
