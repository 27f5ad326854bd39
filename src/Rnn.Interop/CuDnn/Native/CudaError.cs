namespace RnnNative.Interop.CuDnn.Native;

/// <summary>
/// cudaError_t. Only the codes this backend reacts to are named; any other value is shown through
/// cudaGetErrorName/cudaGetErrorString, which know every code of the loaded runtime.
/// </summary>
internal enum CudaError
{
    Success = 0,
    InvalidValue = 1,
    MemoryAllocation = 2,
    InitializationError = 3,
    InsufficientDriver = 35,
    NoDevice = 100,
    InvalidDevice = 101,
}
