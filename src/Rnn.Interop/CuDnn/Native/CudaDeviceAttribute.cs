namespace RnnNative.Interop.CuDnn.Native;

/// <summary>The cudaDeviceAttr values this backend reads (driver_types.h).</summary>
internal enum CudaDeviceAttribute
{
    MultiProcessorCount = 16,
    ComputeCapabilityMajor = 75,
    ComputeCapabilityMinor = 76,
}
