using System.Runtime.InteropServices;
using RnnNative.Interop.CuDnn.Native;

namespace RnnNative.Interop.CuDnn;

/// <summary>
/// Turns a failed CUDA runtime call into the matching <see cref="RnnBackendException"/> (of the cudnn backend, which
/// made the call); the message carries the call, the error name and the runtime's description.
/// </summary>
internal static class CudaStatusCheck
{
    internal static void Check(CudaError error, string call)
    {
        if (error != CudaError.Success) throw ToException(call, error, Describe(error));
    }

    internal static RnnBackendException ToException(string call, CudaError error, string description) =>
        RnnBackendException.Create("cudnn", ErrorCodeOf((int)error), (int)error, $"{call} failed: {description}");

    /// <summary>cudaErrorInvalidValue (1) and cudaErrorMemoryAllocation (2) have their own kinds; the rest are device failures.</summary>
    internal static RnnBackendErrorCode ErrorCodeOf(int code) => code switch
    {
        (int)CudaError.InvalidValue => RnnBackendErrorCode.InvalidArgument,
        (int)CudaError.MemoryAllocation => RnnBackendErrorCode.OutOfMemory,
        _ => RnnBackendErrorCode.DeviceFailure,
    };

    /// <summary>"cudaErrorNoDevice (100): no CUDA-capable device is detected", from the loaded runtime's own tables.</summary>
    internal static string Describe(CudaError error)
    {
        string? name = Marshal.PtrToStringUTF8(CudaRuntimeNative.cudaGetErrorName(error));
        string? text = Marshal.PtrToStringUTF8(CudaRuntimeNative.cudaGetErrorString(error));
        return $"{name ?? "cudaError"} ({(int)error}): {text ?? "no description"}";
    }
}
